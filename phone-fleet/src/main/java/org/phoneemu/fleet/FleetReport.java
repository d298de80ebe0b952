package org.phoneemu.fleet;

import org.phoneemu.core.text.XmlText;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The outcome of a fleet run and its files: {@code phones.csv} (a row per phone), {@code summary.json} (counts,
 * rounds, latency percentiles), {@code latency.hlog} (HdrHistogram interval log, one tag per {@link Phase}) and
 * {@code junit.xml} (a test case per phone, failed when its verdict is not the expected one).
 */
public final class FleetReport {
    public static final String PHONES_CSV = "phones.csv";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String LATENCY_HLOG = "latency.hlog";
    public static final String JUNIT_XML = "junit.xml";

    private final List<PhoneResult> rows;
    private final List<RoundResult> rounds;
    private final Latencies latencies;
    private final Verdict expected;
    private final Map<String, String> facts;
    private Optional<Renewals> renewals = Optional.empty();

    /** @param facts extra key/values for the summary (cluster, crypto provider, set-up seconds, …) */
    public FleetReport(List<PhoneResult> rows, List<RoundResult> rounds, Latencies latencies, Verdict expected, Map<String, String> facts) {
        this.rows = List.copyOf(rows);
        this.rounds = List.copyOf(rounds);
        this.latencies = latencies;
        this.expected = expected;
        this.facts = facts;
    }

    /** The same report with what keeping the registrations came to ({@code --keep-registered}): a table section, a JSON object, a test case. */
    public FleetReport withRenewals(Optional<Renewals> kept) {
        FleetReport r = new FleetReport(rows, rounds, latencies, expected, facts);
        r.renewals = kept;
        return r;
    }

    public Optional<Renewals> renewals() {
        return renewals;
    }

    public Map<Verdict, Integer> verdicts() {
        Map<Verdict, Integer> out = new EnumMap<>(Verdict.class);
        rows.forEach(r -> out.merge(r.verdict(), 1, Integer::sum));
        return out;
    }

    /** Phones by registration outcome; empty when no phone was asked to register. */
    public Map<Registration, Integer> registrations() {
        Map<Registration, Integer> out = new EnumMap<>(Registration.class);
        rows.forEach(r -> out.merge(r.registration(), 1, Integer::sum));
        return out.keySet().equals(java.util.Set.of(Registration.NOT_ASKED)) ? Map.of() : out;
    }

    /** True when every phone ended as expected. */
    public boolean allAsExpected() {
        return rows.stream().allMatch(asExpected());
    }

    private Predicate<PhoneResult> asExpected() {
        return r -> r.verdict() == expected;
    }

    /** The end-of-run table: outcomes with counts, rounds, latency percentiles per phase. */
    public List<String> table() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-16s %8s", "VERDICT", "PHONES"));
        verdicts().forEach((v, n) -> out.add(String.format(Locale.ROOT, "%-16s %8d", v.word(), n)));
        // The distinct end states, with the status message a tester looks for first.
        Map<String, Integer> states = new java.util.TreeMap<>();
        for (PhoneResult r : rows) {
            String signer = r.itlSigner();
            int semi = signer.indexOf(';');
            int comma = signer.indexOf(',');
            int cut = semi > 0 ? semi : comma;
            states.merge(String.format(Locale.ROOT, "%-15s %-12s %-36s %s", r.verdict().word(), r.trustState(),
                    cut > 0 ? signer.substring(0, cut) : signer.isEmpty() ? "-" : signer,
                    r.error().map(e -> "error: " + e).orElse(r.lastStatus().isEmpty() ? "-" : r.lastStatus())), 1, Integer::sum);
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "%8s  %-15s %-12s %-36s %s", "PHONES", "VERDICT", "TRUST", "ITL SIGNER", "LAST STATUS / ERROR"));
        int shown = 0;
        for (Map.Entry<String, Integer> e : states.entrySet()) {
            if (shown++ == 20) {
                out.add("   … " + (states.size() - 20) + " more distinct outcomes in " + PHONES_CSV);
                break;
            }
            out.add(String.format(Locale.ROOT, "%8d  %s", e.getValue(), e.getKey()));
        }
        Map<Registration, Integer> registrations = registrations();
        if (!registrations.isEmpty()) {
            out.add("");
            out.add(String.format(Locale.ROOT, "%-16s %8s  %s", "REGISTRATION", "PHONES", "FIRST PHONE'S LINE"));
            registrations.forEach((g, n) -> out.add(String.format(Locale.ROOT, "%-16s %8d  %s", g.word(), n,
                    rows.stream().filter(r -> r.registration() == g).map(PhoneResult::registrationDetail)
                            .findFirst().orElse(""))));
        }
        renewals.ifPresent(k -> {
            out.add("");
            out.addAll(k.table());
        });
        out.add("");
        out.add(String.format(Locale.ROOT, "%-12s %8s %9s %9s", "ROUND", "BOOTS", "SECONDS", "BOOTS/S"));
        for (RoundResult r : rounds) {
            out.add(String.format(Locale.ROOT, "%-12s %8d %9.2f %9.1f", r.name(), r.boots(), r.seconds(), r.bootsPerSecond()));
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "%-34s %8s %9s %9s %9s %9s", "LATENCY (ms)", "COUNT", "P50", "P90", "P99", "MAX"));
        for (Latencies.Summary s : latencies.summaries()) {
            if (s.count() > 0) {
                out.add(String.format(Locale.ROOT, "%-34s %8d %9.2f %9.2f %9.2f %9.2f", s.phase().label(), s.count(), s.p50(), s.p90(),
                        s.p99(), s.max()));
            }
        }
        return out;
    }

    /** Writes the four report files into {@code dir} (created if needed). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeCsv(dir.resolve(PHONES_CSV));
        Files.writeString(dir.resolve(SUMMARY_JSON), json(), StandardCharsets.UTF_8);
        writeHlog(dir.resolve(LATENCY_HLOG));
        try (Writer w = Files.newBufferedWriter(dir.resolve(JUNIT_XML), StandardCharsets.UTF_8)) {
            junit(w);
        }
    }

    private void writeCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("mac,model,verdict,trust_state,itl_md5,itl_signer,last_status,boot_ms,error,config_file,registration,registration_detail,transport,fallback\n");
            for (PhoneResult r : rows) {
                w.write(String.join(",", r.device().mac(), csv(r.device().model()), r.verdict().word(), r.trustState(), r.itlMd5(),
                        csv(r.itlSigner()), csv(r.lastStatus()), Long.toString(r.bootMillis()), csv(r.error().orElse("")), csv(r.configFile()),
                        r.registration().word(), csv(r.registrationDetail()), r.configTransport(), csv(r.configFallback())));
                w.write('\n');
            }
        }
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }

    /** The summary as JSON (a small fixed shape; no JSON library needed to write it). */
    public String json() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"phones\": ").append(rows.size()).append(",\n");
        b.append("  \"expected\": ").append(str(expected.word())).append(",\n");
        b.append("  \"allAsExpected\": ").append(allAsExpected()).append(",\n");
        facts.forEach((k, v) -> b.append("  ").append(str(k)).append(": ").append(str(v)).append(",\n"));
        b.append("  \"verdicts\": {");
        List<String> vs = new ArrayList<>();
        verdicts().forEach((v, n) -> vs.add(str(v.word()) + ": " + n));
        b.append(String.join(", ", vs)).append("},\n");
        b.append("  \"registrations\": {");
        List<String> gs = new ArrayList<>();
        registrations().forEach((g, n) -> gs.add(str(g == Registration.NOT_ASKED ? "not-asked" : g.word()) + ": " + n));
        b.append(String.join(", ", gs)).append("},\n");
        renewals.ifPresent(k -> b.append("  \"renewals\": ").append(renewalsJson(k)).append(",\n"));
        b.append("  \"rounds\": [");
        List<String> rs = new ArrayList<>();
        for (RoundResult r : rounds) {
            rs.add(String.format(Locale.ROOT, "\n    {\"round\": %d, \"name\": %s, \"boots\": %d, \"seconds\": %.3f, \"bootsPerSecond\": %.1f}",
                    r.round(), str(r.name()), r.boots(), r.seconds(), r.bootsPerSecond()));
        }
        b.append(String.join(",", rs)).append(rounds.isEmpty() ? "],\n" : "\n  ],\n");
        b.append("  \"latencyMs\": {");
        List<String> ls = new ArrayList<>();
        for (Latencies.Summary s : latencies.summaries()) {
            ls.add(String.format(Locale.ROOT, "\n    %s: {\"count\": %d, \"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"max\": %.3f}",
                    str(s.phase().tag()), s.count(), s.p50(), s.p90(), s.p99(), s.max()));
        }
        b.append(String.join(",", ls)).append("\n  }\n}\n");
        return b.toString();
    }

    /** One test case for the registrations kept: failed when a renewal failed or a kept phone ended unregistered. */
    private static void junitRenewals(Writer w, Renewals k) throws IOException {
        w.write(String.format(Locale.ROOT, "  <testcase classname=\"fleet\" name=\"registrations kept\" time=\"%d\"", k.kept().toSeconds()));
        if (k.allKept()) {
            w.write("/>\n");
            return;
        }
        String first = k.failedBecause().entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> "; most often: " + e.getKey()).orElse("");
        w.write(">\n    <failure message=\"" + XmlText.escape(k.line() + first) + "\"/>\n  </testcase>\n");
    }

    private static String renewalsJson(Renewals k) {
        List<String> reasons = new ArrayList<>();
        k.failedBecause().forEach((why, n) -> reasons.add(str(why) + ": " + n));
        return String.format(Locale.ROOT, "{\"phones\": %d, \"seconds\": %d, \"attempted\": %d, \"succeeded\": %d, \"failed\": %d, "
                        + "\"failovers\": %d, \"registeredAtEnd\": %d, \"failedBecause\": {%s}}", k.phones(), k.kept().toSeconds(), k.attempted(),
                k.succeeded(), k.failed(), k.failovers(), k.registered(), String.join(", ", reasons));
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private void writeHlog(Path file) throws IOException {
        latencies.closeInterval(); // what was recorded since the last tick
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment("phone-emu fleet latencies in microseconds, one tag per phase: "
                    + String.join(", ", java.util.Arrays.stream(Phase.values()).map(Phase::tag).toList()));
            w.outputLogFormatVersion();
            long base = latencies.startMillis();
            w.setBaseTime(base);
            w.outputBaseTime(base);
            w.outputLegend();
            latencies.forEachInterval(i -> w.outputIntervalHistogram(i.histogram()));
        }
    }

    /** Streams the JUnit file: one test case at a time, nothing sized by the phone count held at once. */
    private void junit(Writer w) throws IOException {
        long failures = rows.stream().filter(asExpected().negate()).count() + (renewals.map(Renewals::allKept).orElse(true) ? 0 : 1);
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w.write(String.format(Locale.ROOT, "<testsuite name=\"phone-emu fleet\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">%n",
                rows.size() + (renewals.isPresent() ? 1 : 0), failures));
        for (PhoneResult r : rows) {
            w.write(String.format(Locale.ROOT, "  <testcase classname=\"fleet\" name=\"%s\" time=\"%.3f\"", r.device().name(), r.bootMillis() / 1000.0));
            if (r.verdict() == expected) {
                w.write("/>\n");
            } else {
                String msg = r.verdict().word() + ", expected " + expected.word()
                        + r.error().map(e -> ": " + e).orElse(r.lastStatus().isEmpty() ? "" : ": " + r.lastStatus());
                w.write(">\n    <failure message=\"" + XmlText.escape(msg) + "\"/>\n  </testcase>\n");
            }
        }
        if (renewals.isPresent()) {
            junitRenewals(w, renewals.get());
        }
        w.write("</testsuite>\n");
    }

}
