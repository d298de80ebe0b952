package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.phoneemu.core.testing.Vectors;
import org.w3c.dom.Document;

/**
 * The local stand-in for a Kubernetes Indexed Job: one {@code cucm serve} process, a fleet of 40 phones run once in
 * one process and once as 4 shards in 4 JVMs of their own (each finding its index in {@code JOB_COMPLETION_INDEX},
 * all waiting for the same {@code --start-at}), then {@code fleet merge}: the merged report must be the single run's
 * (same phones, same verdicts and trust states, histogram counts adding up), and merge must refuse bad sets of parts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetShardsTest {
    private static final Path REPO = Vectors.root().getParent();
    private static final int PHONES = 40;
    private static final int SHARDS = 4;
    private static final Pattern TFTP = Pattern.compile("\\(publisher\\): TFTP (\\S+),");

    private Path tmp;
    private PhoneEmuProcess cucm;
    private String tftp;
    private Path single;
    private final List<Path> shards = new ArrayList<>();

    @BeforeAll
    void runOnceAndAsFourShards() throws Exception {
        tmp = Files.createTempDirectory("fleet-shards");
        cucm = PhoneEmuProcess.start(tmp, Map.of(), "cucm", "serve", "--cluster", REPO.resolve("config/clusters/lab.yaml").toString(),
                "--state", tmp.resolve("cluster").toString(), "--fresh");
        String line = cucm.awaitLine("cucmpub", 120);
        assertThat(line).as(cucm.output()).isNotNull();
        Matcher m = TFTP.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        tftp = m.group(1);

        Path keys = tmp.resolve("keys");
        single = tmp.resolve("single");
        Cli.Result one = Cli.run(fleet(single, keys).toArray(String[]::new));
        assertThat(one.code()).as(one.out() + one.err()).isZero();

        String startAt = Instant.now().plusSeconds(25).toString();
        List<PhoneEmuProcess> procs = new ArrayList<>();
        try {
            for (int i = 0; i < SHARDS; i++) {
                Path report = tmp.resolve("shard-" + i);
                shards.add(report);
                List<String> args = fleet(report, keys);
                args.addAll(List.of("--shard-count", "" + SHARDS, "--start-at", startAt));
                procs.add(PhoneEmuProcess.start(tmp, Map.of("JOB_COMPLETION_INDEX", "" + i), args.toArray(String[]::new)));
            }
            for (PhoneEmuProcess p : procs) {
                assertThat(p.await(240)).as(p.output()).isZero();
                assertThat(p.output()).contains("of run run-", "start: ", "Every phone ended trusted.");
            }
        } finally {
            for (PhoneEmuProcess p : procs) {
                p.close();
            }
        }
    }

    private List<String> fleet(Path report, Path keys) {
        return new ArrayList<>(List.of("fleet", "--tftp", tftp, "--phones", "" + PHONES, "--mac-base", "00CC00000000", "--flash", "memory",
                "--report", report.toString(), "--key-pool", keys.toString(), "--progress", "0", "--max-concurrent", "8"));
    }

    @AfterAll
    void stop() throws Exception {
        if (cucm != null) {
            cucm.close();
        }
    }

    @Test
    void eachShardRanItsOwnQuarterFromTheJobIndex() throws Exception {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            Properties p = properties(shards.get(i));
            assertThat(p.getProperty("shard.index")).isEqualTo("" + i);
            assertThat(p.getProperty("shard.count")).isEqualTo("" + SHARDS);
            assertThat(p.getProperty("phones.shard")).isEqualTo("" + PHONES / SHARDS);
            assertThat(p.getProperty("phones.run")).isEqualTo("" + PHONES);
            assertThat(p.getProperty("options")).contains("--phones=40", "--shard-count=4").doesNotContain("--report", "--shard-index");
            assertThat(Instant.parse(p.getProperty("started"))).isAfterOrEqualTo(Instant.parse(p.getProperty("start.at")));
            runs.add(p.getProperty("run"));
            assertThat(csv(shards.get(i)).keySet()).hasSize(PHONES / SHARDS);
        }
        assertThat(runs).allMatch(runs.get(0)::equals);
    }

    @Test
    void theMergedReportIsTheSingleProcessRun() throws Exception {
        Path merged = tmp.resolve("merged");
        List<String> args = new ArrayList<>(List.of("fleet", "merge"));
        // Any order on the command line: the rows come out in the fleet's order.
        for (int i = SHARDS - 1; i >= 0; i--) {
            args.add(shards.get(i).toString());
        }
        args.addAll(List.of("--out", merged.toString()));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Merged 4 shard(s) of run run-", ": 40 phones.", "Every phone ended trusted.", "whole boot");

        Map<String, List<String>> one = csv(single);
        Map<String, List<String>> all = csv(merged);
        assertThat(all).hasSize(PHONES);
        assertThat(List.copyOf(all.keySet())).isEqualTo(List.copyOf(one.keySet()));
        for (String mac : one.keySet()) {
            // mac, model, verdict, trust_state, itl_md5, itl_signer, last_status; then boot_ms (differs), error, config_file
            assertThat(all.get(mac).subList(0, 7)).as(mac).isEqualTo(one.get(mac).subList(0, 7));
            assertThat(all.get(mac).subList(8, 10)).as(mac).isEqualTo(one.get(mac).subList(8, 10));
        }

        Map<String, Long> mergedCounts = hlogCounts(merged);
        Map<String, Long> summed = new TreeMap<>();
        for (Path s : shards) {
            hlogCounts(s).forEach((tag, n) -> summed.merge(tag, n, Long::sum));
        }
        assertThat(mergedCounts).isEqualTo(summed);
        Map<String, Long> singleCounts = hlogCounts(single);
        assertThat(mergedCounts.get("boot")).isEqualTo(PHONES).isEqualTo(singleCounts.get("boot"));
        assertThat(mergedCounts.get("tftp_trust_lists")).isEqualTo(singleCounts.get("tftp_trust_lists"));
        assertThat(mergedCounts.get("tftp_config")).isEqualTo(singleCounts.get("tftp_config"));

        String summary = Files.readString(merged.resolve("summary.json"));
        assertThat(summary).contains("\"phones\": 40", "\"allAsExpected\": true", "\"shards\": 4", "\"trusted\": 40",
                "\"boot\": {\"count\": 40");
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(merged.resolve("junit.xml").toFile());
        assertThat(junit.getDocumentElement().getAttribute("tests")).isEqualTo("40");
        assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("0");
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(PHONES);
    }

    @Test
    void mergeRefusesAMissingShardAndSaysWhich() {
        Cli.Result r = Cli.run("fleet", "merge", shards.get(0).toString(), shards.get(1).toString(), shards.get(3).toString(),
                "--out", tmp.resolve("x").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("shard 2 of 4 of run run-", "is missing").doesNotContain("\n");
    }

    @Test
    void mergeRefusesADoubledShardAndSaysWhich() throws IOException {
        Path copy = tmp.resolve("copy-of-1");
        copyDir(shards.get(1), copy);
        List<String> args = new ArrayList<>(List.of("fleet", "merge"));
        shards.forEach(s -> args.add(s.toString()));
        args.addAll(List.of(copy.toString(), "--out", tmp.resolve("y").toString()));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("shard 1 of 4 given twice: ", shards.get(1).toString(), copy.toString());
    }

    @Test
    void mergeRefusesAPartOfAnotherRun() throws IOException {
        Path other = tmp.resolve("other-run-3");
        copyDir(shards.get(3), other);
        Path props = other.resolve("shard.properties");
        Files.writeString(props, Files.readString(props).replaceAll("(?m)^run=.*$", "run=another"));
        Cli.Result r = Cli.run("fleet", "merge", shards.get(0).toString(), shards.get(1).toString(), shards.get(2).toString(),
                other.toString(), "--out", tmp.resolve("z").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("reports of different runs: ", other.toString(), "of run another");
    }

    @Test
    void theMergeOfAFailedExpectationExitsOne() throws IOException {
        // The same parts, but a run that expected every phone to be locked: merge exits like fleet would.
        List<String> args = new ArrayList<>(List.of("fleet", "merge"));
        for (int i = 0; i < SHARDS; i++) {
            Path c = tmp.resolve("locked-" + i);
            copyDir(shards.get(i), c);
            Path props = c.resolve("shard.properties");
            Files.writeString(props, Files.readString(props).replaceAll("(?m)^expected=.*$", "expected=locked"));
            args.add(c.toString());
        }
        args.addAll(List.of("--out", tmp.resolve("locked").toString()));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("0 of 40 phones ended locked.");
    }

    private static Properties properties(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("shard.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** Rows of phones.csv by MAC, in file order. */
    private static Map<String, List<String>> csv(Path dir) throws IOException {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("phones.csv"));
        for (String l : lines.subList(1, lines.size())) {
            List<String> cols = List.of(l.split(",", -1));
            out.put(cols.get(0), cols);
        }
        return out;
    }

    private static Map<String, Long> hlogCounts(Path dir) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (InputStream in = Files.newInputStream(dir.resolve("latency.hlog"))) {
            HistogramLogReader r = new HistogramLogReader(in);
            EncodableHistogram h;
            while ((h = r.nextIntervalHistogram()) != null) {
                out.merge(h.getTag(), ((org.HdrHistogram.Histogram) h).getTotalCount(), Long::sum);
            }
        }
        return out;
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
