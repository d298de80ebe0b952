package org.phoneemu.fleet.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.fleet.Phase;
import org.phoneemu.fleet.Verdict;

/** {@link ShardMerge} on hand-made shard reports: exact histogram sums, row order, and what it refuses. */
class ShardMergeTest {
    private static final String HEADER = "mac,model,verdict,trust_state,itl_md5,itl_signer,last_status,boot_ms,error,config_file";
    private static final Instant T0 = Instant.parse("2026-11-26T15:00:00Z");

    @TempDir
    Path tmp;

    /** A shard report of run {@code run}: one row per MAC, boot latencies {@code bootMicros} in two intervals. */
    private Path shard(String name, String run, int index, int count, int runPhones, List<String> macs, String verdict, long... bootMicros)
            throws IOException {
        Path dir = tmp.resolve(name);
        new ShardManifest(run, new Shard(index, count), Optional.of(T0), T0.plusMillis(index), runPhones, macs.size(), Verdict.TRUSTED,
                "--phones=" + runPhones + " --shard-count=" + count).write(dir);
        List<String> csv = new ArrayList<>(List.of(HEADER));
        StringBuilder junit = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"phone-emu fleet\" tests=\""
                + macs.size() + "\" failures=\"0\">\n");
        for (String mac : macs) {
            csv.add(mac + ",7970," + verdict + ",ITL_ONLY,0123456789abcdef0123456789abcdef,\"CN=cucmpub;OU=x, O=y\",Trust List Updated,12,,SEP"
                    + mac + ".cnf.xml.sgn");
            junit.append("  <testcase classname=\"fleet\" name=\"SEP").append(mac).append("\" time=\"0.012\"")
                    .append(verdict.equals("trusted") ? "/>\n" : "><failure message=\"" + verdict + ", expected trusted\"/></testcase>\n");
        }
        Files.write(dir.resolve("phones.csv"), csv);
        Files.writeString(dir.resolve("junit.xml"), junit.append("</testsuite>\n"));
        try (PrintStream ps = new PrintStream(Files.newOutputStream(dir.resolve("latency.hlog")), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            long base = T0.toEpochMilli() + index * 10L;
            w.outputLogFormatVersion();
            w.setBaseTime(base);
            w.outputBaseTime(base);
            w.outputLegend();
            for (int half = 0; half < 2; half++) {
                Histogram h = new Histogram(3);
                for (int i = half; i < bootMicros.length; i += 2) {
                    h.recordValue(bootMicros[i]);
                }
                h.setStartTimeStamp(base + half * 1000L);
                h.setEndTimeStamp(base + half * 1000L + 1000);
                h.setTag(Phase.BOOT.tag());
                w.outputIntervalHistogram(h);
            }
        }
        return dir;
    }

    @Test
    void aStoppedShardMergesWithItsUnfinishedPhonesCounted() throws Exception {
        Path a = shard("a", "r1", 0, 2, 4, List.of("00CC00000000", "00CC00000001"), "trusted", 1_000, 2_000);
        Path b = shard("b", "r1", 1, 2, 4, List.of("00CC00000002", "00CC00000003"), "not-booted", 5_000);
        ShardMerge.Merged m = ShardMerge.merge(List.of(a, b), tmp.resolve("merged"));
        assertThat(m.phones()).isEqualTo(4);
        assertThat(m.unfinished()).isEqualTo(2);
        assertThat(m.verdicts()).containsEntry(Verdict.NOT_BOOTED, 2).containsEntry(Verdict.TRUSTED, 2);
        assertThat(m.allAsExpected()).isFalse();
    }

    @Test
    void aShortRowIsRefusedWithItsLine() throws Exception {
        Path a = shard("a", "r1", 0, 1, 2, List.of("00CC00000000", "00CC00000001"), "trusted", 1_000);
        List<String> lines = new ArrayList<>(Files.readAllLines(a.resolve("phones.csv")));
        lines.set(2, "00CC00000001");
        Files.write(a.resolve("phones.csv"), lines);
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a), tmp.resolve("m"))).isInstanceOf(ShardReportException.class)
                .hasMessage(a.resolve("phones.csv") + " line 3: 1 columns, the header has 10");
    }

    @Test
    void aPhonesCsvThatIsNotUtf8OrIsAFolderIsRefused() throws Exception {
        Path a = shard("a", "r1", 0, 1, 1, List.of("00CC00000000"), "trusted", 1_000);
        byte[] csv = Files.readAllBytes(a.resolve("phones.csv"));
        csv[csv.length - 3] = (byte) 0xff;
        Files.write(a.resolve("phones.csv"), csv);
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a), tmp.resolve("m"))).isInstanceOf(ShardReportException.class)
                .hasMessage(a.resolve("phones.csv") + ": not UTF-8 text");
        Files.delete(a.resolve("phones.csv"));
        Files.createDirectory(a.resolve("phones.csv"));
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a), tmp.resolve("m"))).isInstanceOf(ShardReportException.class)
                .hasMessage(a.resolve("phones.csv") + ": a folder, not a file");
    }

    @Test
    void aDeeplyNestedJunitXmlIsRefusedWithoutOverflowingTheStack() throws Exception {
        Path a = shard("a", "r1", 0, 1, 1, List.of("00CC00000000"), "trusted", 1_000);
        StringBuilder deep = new StringBuilder("<testsuite><testcase name=\"x\">");
        deep.append("<a>".repeat(10_000)).append("</a>".repeat(10_000)).append("</testcase></testsuite>");
        Files.writeString(a.resolve("junit.xml"), deep);
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a), tmp.resolve("m"))).isInstanceOf(ShardReportException.class)
                .hasMessageContaining("nested deeper than 16");
    }

    @Test
    void theMergedReportReplacesTheOldOneWholeOrNotAtAll() throws Exception {
        Path a = shard("a", "r1", 0, 1, 2, List.of("00CC00000000", "00CC00000001"), "trusted", 1_000);
        Path out = tmp.resolve("merged");
        ShardMerge.merge(List.of(a), out);
        String before = Files.readString(out.resolve("summary.json"));
        // A write that fails half-way (here: after phones.csv, as a full disk would) leaves the old report as it was.
        assertThatThrownBy(() -> org.phoneemu.fleet.ReportFolder.write(out, dir -> {
            Files.writeString(dir.resolve("phones.csv"), HEADER + "\n00CC0000");
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo(before);
        assertThat(Files.readAllLines(out.resolve("phones.csv"))).hasSize(3);
        // A good merge replaces every file at once.
        Path c = shard("c", "r3", 0, 1, 2, List.of("00CC00000000", "00CC00000001"), "locked", 1_000);
        ShardMerge.merge(List.of(c), out);
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"run\": \"r3\"", "\"locked\": 2");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".merged"));
        }
        // A folder with other files is not a report to replace.
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(c), out)).hasMessageContaining("holds other files than a report's (notes.txt)");
        assertThat(out.resolve("notes.txt")).exists();
    }

    @Test
    void histogramsAddExactlyAndRowsComeInShardOrder() throws Exception {
        Path b = shard("b", "r1", 1, 2, 4, List.of("00CC00000002", "00CC00000003"), "trusted", 5_000, 7_000, 900_000);
        Path a = shard("a", "r1", 0, 2, 4, List.of("00CC00000000", "00CC00000001"), "trusted", 1_000, 2_000, 3_000);
        Path out = tmp.resolve("merged");
        ShardMerge.Merged m = ShardMerge.merge(List.of(b, a), out);

        assertThat(m.phones()).isEqualTo(4);
        assertThat(m.allAsExpected()).isTrue();
        Histogram boot = m.latencies().get(Phase.BOOT);
        Histogram expected = new Histogram(3);
        for (long v : new long[] {1_000, 2_000, 3_000, 5_000, 7_000, 900_000}) {
            expected.recordValue(v);
        }
        assertThat(boot.getTotalCount()).isEqualTo(6);
        assertThat(boot).isEqualTo(expected); // the same counts in every bucket
        assertThat(boot.getMaxValue()).isEqualTo(expected.getMaxValue());

        List<String> rows = Files.readAllLines(out.resolve("phones.csv"));
        assertThat(rows.get(0)).isEqualTo(HEADER);
        assertThat(rows.subList(1, 5)).extracting(r -> r.substring(0, 12)).containsExactly("00CC00000000", "00CC00000001", "00CC00000002",
                "00CC00000003");
        assertThat(rows.get(1)).contains("\"CN=cucmpub;OU=x, O=y\"");

        // The merged log reads back to the same totals.
        long total = 0;
        try (InputStream in = Files.newInputStream(out.resolve("latency.hlog"))) {
            HistogramLogReader r = new HistogramLogReader(in);
            EncodableHistogram e;
            while ((e = r.nextIntervalHistogram()) != null) {
                assertThat(e.getTag()).isEqualTo("boot");
                total += ((Histogram) e).getTotalCount();
            }
        }
        assertThat(total).isEqualTo(6);
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("tests=\"4\"", "failures=\"0\"", "SEP00CC00000003");
        assertThat(ShardManifest.read(out).shard()).isEqualTo(Shard.whole());
    }

    @Test
    void verdictsAreRecountedFromTheRows() throws Exception {
        Path a = shard("a", "r1", 0, 2, 3, List.of("00CC00000000"), "trusted", 1_000);
        Path b = shard("b", "r1", 1, 2, 3, List.of("00CC00000001", "00CC00000002"), "locked", 2_000, 3_000);
        ShardMerge.Merged m = ShardMerge.merge(List.of(a, b), tmp.resolve("merged"));
        assertThat(m.verdicts()).containsEntry(Verdict.TRUSTED, 1).containsEntry(Verdict.LOCKED, 2);
        assertThat(m.allAsExpected()).isFalse();
        assertThat(Files.readString(tmp.resolve("merged/junit.xml"))).contains("tests=\"3\"", "failures=\"2\"");
    }

    @Test
    void refusesRowsThatDoNotMatchTheManifest() throws Exception {
        Path a = shard("a", "r1", 0, 2, 4, List.of("00CC00000000", "00CC00000001"), "trusted", 1_000);
        Path b = shard("b", "r1", 1, 2, 4, List.of("00CC00000002", "00CC00000003"), "trusted", 1_000);
        List<String> lines = Files.readAllLines(b.resolve("phones.csv"));
        Files.write(b.resolve("phones.csv"), lines.subList(0, 2));
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, b), tmp.resolve("m"))).isInstanceOf(ShardReportException.class)
                .hasMessage(b + ": 1 rows in phones.csv, but shard.properties says 2 phones");
    }

    @Test
    void refusesAPhoneInTwoShards() throws Exception {
        Path a = shard("a", "r1", 0, 2, 4, List.of("00CC00000000", "00CC00000001"), "trusted", 1_000);
        Path b = shard("b", "r1", 1, 2, 4, List.of("00CC00000001", "00CC00000003"), "trusted", 1_000);
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, b), tmp.resolve("m")))
                .hasMessage("MAC 00CC00000001 is in both " + a + " and " + b);
    }

    @Test
    void refusesMissingShardsNamingThem() throws Exception {
        Path a = shard("a", "r1", 0, 4, 8, List.of("00CC00000000", "00CC00000001"), "trusted", 1_000);
        Path d = shard("d", "r1", 3, 4, 8, List.of("00CC00000006", "00CC00000007"), "trusted", 1_000);
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, d), tmp.resolve("m"))).hasMessage("shards 1, 2 of 4 of run r1 are missing");
    }

    @Test
    void refusesADirectoryThatIsNotAShardReport() throws Exception {
        Path a = shard("a", "r1", 0, 1, 1, List.of("00CC00000000"), "trusted", 1_000);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, empty), tmp.resolve("m")))
                .hasMessageStartingWith(empty + ": no shard.properties");
        Files.delete(a.resolve("latency.hlog"));
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a), tmp.resolve("m"))).hasMessage(a.resolve("latency.hlog") + ": missing");
    }
}
