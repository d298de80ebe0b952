package org.phoneemu.fleet.shard;

import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import org.phoneemu.fleet.ReportFolder;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.phoneemu.fleet.FleetReport;
import org.phoneemu.fleet.Phase;
import org.phoneemu.fleet.Verdict;

/**
 * Merges the report directories of all shards of one run into one report, as if one process had run the whole
 * fleet: the {@code phones.csv} rows in shard order (which is the fleet's device order), verdict counts recounted
 * from those rows, the latency histograms added exactly (every interval kept in the merged log; the totals are the
 * sums of every shard's counts), and the JUnit test cases of every shard in one suite.
 *
 * <p>Refuses (with a one-line message naming the directories) parts of different runs, a shard missing or given
 * twice, and a part whose files do not match its {@code shard.properties}.
 */
public final class ShardMerge {
    private static final String CSV_HEADER_START = "mac,model,verdict,";
    private static final int DIGITS = 3;
    /** A row the fleet writes is a few hundred characters; this bounds what a damaged file can make us hold. */
    private static final int MAX_ROW_CHARS = 64 * 1024;

    /** The merged run: what the report says, for the command's table and exit code. */
    public record Merged(String runId, int shards, int phones, Verdict expected, Map<Verdict, Integer> verdicts,
                         Map<Phase, Histogram> latencies) {
        public boolean allAsExpected() {
            return verdicts.getOrDefault(expected, 0) == phones;
        }

        /** Phones that did not finish because their shard was stopped (a signal, its deadline). */
        public int unfinished() {
            return verdicts.getOrDefault(Verdict.NOT_BOOTED, 0) + verdicts.getOrDefault(Verdict.INTERRUPTED, 0);
        }
    }

    private ShardMerge() {
    }

    /** Checks the parts, merges them and writes the four report files (and a {@code shard.properties} of the whole) to {@code out}. */
    public static Merged merge(List<Path> dirs, Path out) throws ShardReportException, IOException {
        List<Part> parts = parts(dirs);
        ShardManifest first = parts.get(0).manifest;
        Rows rows = checkRows(parts);
        if (rows.count() != first.runPhones()) {
            throw new ShardReportException("the shards hold " + rows.count() + " phones, but the run had " + first.runPhones());
        }
        Map<Phase, Histogram> totals = new EnumMap<>(Phase.class);
        for (Phase ph : Phase.values()) {
            totals.put(ph, new Histogram(DIGITS));
        }
        List<Histogram> intervals = new ArrayList<>();
        long base = Long.MAX_VALUE;
        for (Part p : parts) {
            base = Math.min(base, readHlog(p.dir.resolve(FleetReport.LATENCY_HLOG), totals, intervals));
        }
        List<JunitCases> cases = new ArrayList<>();
        for (Part p : parts) {
            cases.add(JunitCases.read(p.dir.resolve(FleetReport.JUNIT_XML)));
        }
        Merged merged = new Merged(first.runId(), first.shard().count(), rows.count(), first.expected(), rows.verdicts(), totals);
        write(out, parts, merged, rows.header(), base == Long.MAX_VALUE ? 0 : base, intervals, cases);
        return merged;
    }

    /** The parts of {@code dirs}, each with its manifest, checked to be of one run, in shard order. */
    private static List<Part> parts(List<Path> dirs) throws ShardReportException, IOException {
        if (dirs.isEmpty()) {
            throw new ShardReportException("no shard reports given");
        }
        List<Part> parts = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new ShardReportException(d + ": not a directory");
            }
            parts.add(new Part(d, ShardManifest.read(d)));
        }
        checkOneRun(parts);
        parts.sort(Comparator.comparingInt(p -> p.manifest.shard().index()));
        return parts;
    }

    /** What the first pass over the rows found: the CSV header, the verdicts counted, the rows. */
    private record Rows(String header, Map<Verdict, Integer> verdicts, int count) {
    }

    /** First pass: every part's rows checked (header, columns, verdict, MAC once), nothing held but the MACs. */
    private static Rows checkRows(List<Part> parts) throws ShardReportException, IOException {
        Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        Map<String, Integer> macs = new HashMap<>();
        String header = null;
        int rows = 0;
        for (int pi = 0; pi < parts.size(); pi++) {
            Part p = parts.get(pi);
            Path csv = p.dir.resolve(FleetReport.PHONES_CSV);
            try (BufferedReader r = reader(csv)) {
                String top = r.readLine();
                if (top == null || !top.startsWith(CSV_HEADER_START)) {
                    throw new ShardReportException(csv + ": not a fleet phones.csv (header '" + CSV_HEADER_START + "...')");
                }
                if (header == null) {
                    header = top;
                } else if (!header.equals(top)) {
                    throw new ShardReportException(csv + ": its columns differ from " + parts.get(0).dir);
                }
                int body = checkBody(parts, pi, csv, r, CsvRow.split(header).size(), macs, verdicts);
                if (body != p.manifest.shardPhones()) {
                    throw new ShardReportException(p.dir + ": " + body + " rows in " + FleetReport.PHONES_CSV + ", but "
                            + ShardManifest.FILE + " says " + p.manifest.shardPhones() + " phones");
                }
                rows += body;
            } catch (CharacterCodingException e) {
                throw new ShardReportException(csv + ": not UTF-8 text");
            }
        }
        return new Rows(header, verdicts, rows);
    }

    /** The rows of part {@code pi} after its header, checked and counted; returns how many. */
    private static int checkBody(List<Part> parts, int pi, Path csv, BufferedReader r, int columns, Map<String, Integer> macs,
                                 Map<Verdict, Integer> verdicts) throws ShardReportException, IOException {
        int body = 0;
        int lineNo = 1;
        String row;
        while ((row = r.readLine()) != null) {
            lineNo++;
            if (row.isEmpty()) {
                continue;
            }
            if (row.length() > MAX_ROW_CHARS) {
                throw new ShardReportException(csv + " line " + lineNo + ": longer than " + MAX_ROW_CHARS + " characters");
            }
            List<String> cols = CsvRow.split(row);
            if (cols.size() != columns) {
                throw new ShardReportException(csv + " line " + lineNo + ": " + cols.size() + " columns, the header has " + columns);
            }
            Integer other = macs.put(cols.get(0), pi);
            if (other != null) {
                throw new ShardReportException("MAC " + cols.get(0) + " is in both " + parts.get(other).dir + " and " + parts.get(pi).dir);
            }
            Verdict v;
            try {
                v = Verdict.parse(cols.get(2));
            } catch (IllegalArgumentException e) {
                throw new ShardReportException(csv + " line " + lineNo + ": " + e.getMessage());
            }
            if (v == Verdict.PENDING) {
                throw new ShardReportException(csv + " line " + lineNo + ": verdict pending: not a finished report");
            }
            verdicts.merge(v, 1, Integer::sum);
            body++;
        }
        return body;
    }

    /** Second pass: the merged report written whole into a temporary folder, then put in place by one rename. */
    private static void write(Path out, List<Part> parts, Merged merged, String csvHeader, long logBase, List<Histogram> intervals,
                              List<JunitCases> cases) throws IOException {
        ShardManifest first = parts.get(0).manifest;
        int total = merged.phones();
        ReportFolder.write(out, dir -> {
            try (Writer w = Files.newBufferedWriter(dir.resolve(FleetReport.PHONES_CSV), StandardCharsets.UTF_8)) {
                w.write(csvHeader);
                w.write('\n');
                for (Part p : parts) {
                    copyRows(p.dir.resolve(FleetReport.PHONES_CSV), w);
                }
            }
            writeHlog(dir.resolve(FleetReport.LATENCY_HLOG), logBase, intervals);
            JunitCases.write(dir.resolve(FleetReport.JUNIT_XML), cases);
            Files.writeString(dir.resolve(FleetReport.SUMMARY_JSON), json(merged, parts), StandardCharsets.UTF_8);
            new ShardManifest(first.runId(), Shard.whole(), first.startAt(),
                    parts.stream().map(p -> p.manifest.started()).min(Comparator.naturalOrder()).orElseThrow(), total, total,
                    first.expected(), first.options()).write(dir);
        });
    }

    /** A part's rows, checked in the first pass, after its header line. */
    private static void copyRows(Path csv, Writer w) throws IOException {
        try (BufferedReader r = reread(csv)) {
            r.readLine();
            String row;
            while ((row = r.readLine()) != null) {
                if (!row.isEmpty()) {
                    w.write(row);
                    w.write('\n');
                }
            }
        }
    }

    /** A file read and checked in the first pass. */
    private static BufferedReader reread(Path file) throws IOException {
        try {
            return reader(file);
        } catch (ShardReportException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** A part's file for reading as strict UTF-8 (bad bytes are an error, not replacement characters). */
    private static BufferedReader reader(Path file) throws ShardReportException, IOException {
        if (Files.isDirectory(file)) {
            throw new ShardReportException(file + ": a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ShardReportException(file + ": missing");
        }
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    private record Part(Path dir, ShardManifest manifest) {
    }

    private static void checkOneRun(List<Part> parts) throws ShardReportException {
        Part first = parts.get(0);
        for (Part p : parts) {
            if (!p.manifest.runId().equals(first.manifest.runId())) {
                throw new ShardReportException("reports of different runs: " + first.dir + " is of run " + first.manifest.runId() + ", "
                        + p.dir + " of run " + p.manifest.runId());
            }
            if (p.manifest.shard().count() != first.manifest.shard().count() || !p.manifest.options().equals(first.manifest.options())
                    || p.manifest.runPhones() != first.manifest.runPhones()) {
                throw new ShardReportException("reports of different runs: " + first.dir + " and " + p.dir
                        + " have the same run id but different options or shard counts");
            }
        }
        int count = first.manifest.shard().count();
        Map<Integer, List<Path>> byIndex = new TreeMap<>();
        parts.forEach(p -> byIndex.computeIfAbsent(p.manifest.shard().index(), i -> new ArrayList<>()).add(p.dir));
        for (Map.Entry<Integer, List<Path>> e : byIndex.entrySet()) {
            if (e.getValue().size() > 1) {
                throw new ShardReportException("shard " + e.getKey() + " of " + count + " given twice: "
                        + e.getValue().stream().map(Path::toString).collect(Collectors.joining(", ")));
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < count && missing.size() <= 20; i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new ShardReportException((missing.size() == 1 ? "shard " : "shards ")
                    + missing.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", ")) + (missing.size() > 20 ? ", …" : "")
                    + " of " + count + " of run " + first.manifest.runId() + (missing.size() == 1 ? " is" : " are") + " missing");
        }
    }

    /** Adds every interval of {@code file} to the totals of its phase and to {@code intervals}; returns the log's start (ms). */
    private static long readHlog(Path file, Map<Phase, Histogram> totals, List<Histogram> intervals) throws ShardReportException, IOException {
        Map<String, Phase> byTag = new HashMap<>();
        for (Phase ph : Phase.values()) {
            byTag.put(ph.tag(), ph);
        }
        if (!Files.isRegularFile(file)) {
            throw new ShardReportException(file + ": missing");
        }
        long start = Long.MAX_VALUE;
        try (InputStream in = Files.newInputStream(file)) {
            HistogramLogReader r = new HistogramLogReader(in);
            EncodableHistogram e;
            while ((e = r.nextIntervalHistogram()) != null) {
                if (!(e instanceof Histogram h)) {
                    throw new ShardReportException(file + ": not an integer histogram log");
                }
                Phase ph = byTag.get(h.getTag());
                if (ph == null) {
                    throw new ShardReportException(file + ": unknown phase tag '" + h.getTag() + "'");
                }
                totals.get(ph).add(h);
                intervals.add(h);
                start = Math.min(start, h.getStartTimeStamp());
            }
        } catch (RuntimeException e) {
            throw new ShardReportException(file + ": not a histogram log: " + e.getMessage());
        }
        return start;
    }

    private static void writeHlog(Path file, long base, List<Histogram> intervals) throws IOException {
        intervals.sort(Comparator.comparingLong(Histogram::getStartTimeStamp));
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment("phone-emu fleet latencies in microseconds, merged from shard reports, one tag per phase");
            w.outputLogFormatVersion();
            w.setBaseTime(base);
            w.outputBaseTime(base);
            w.outputLegend();
            for (Histogram h : intervals) {
                w.outputIntervalHistogram(h);
            }
        }
    }

    private static String json(Merged m, List<Part> parts) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"phones\": ").append(m.phones()).append(",\n");
        b.append("  \"expected\": ").append(str(m.expected().word())).append(",\n");
        b.append("  \"allAsExpected\": ").append(m.allAsExpected()).append(",\n");
        b.append("  \"run\": ").append(str(m.runId())).append(",\n");
        b.append("  \"shards\": ").append(m.shards()).append(",\n");
        b.append("  \"shardReports\": [").append(parts.stream().map(p -> str(p.dir.toString())).collect(Collectors.joining(", "))).append("],\n");
        Map<String, Integer> vs = new LinkedHashMap<>();
        m.verdicts().forEach((v, n) -> vs.put(v.word(), n));
        b.append("  \"verdicts\": {").append(vs.entrySet().stream().map(e -> str(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", "))).append("},\n");
        b.append("  \"latencyMs\": {");
        List<String> ls = new ArrayList<>();
        m.latencies().forEach((ph, h) -> ls.add(String.format(Locale.ROOT,
                "\n    %s: {\"count\": %d, \"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"max\": %.3f}", str(ph.tag()), h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0)));
        b.append(String.join(",", ls)).append("\n  }\n}\n");
        return b.toString();
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
