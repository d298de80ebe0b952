package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phoneemu.core.testing.Vectors;
import org.w3c.dom.Document;

/**
 * A fleet stopped by a real signal sent to the real CLI in a JVM of its own (as Kubernetes stops a preempted pod,
 * or a user presses Ctrl-C): the report must be complete, every phone that did not finish marked, one line on
 * stderr, exit 4. The signal is sent once the first progress line shows the run has started.
 */
class FleetStopSignalTest {
    private static final Path REPO = Vectors.root().getParent();
    private static final int PHONES = 3000;

    @TempDir
    Path tmp;

    private PhoneEmuProcess fleet(Path report, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("fleet", "--sim", REPO.resolve("config/clusters/lab.yaml").toString(),
                "--phones", "" + PHONES, "--rate", "100", "--flash", "memory", "--report", report.toString(), "--progress", "1",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString()));
        args.addAll(List.of(more));
        return PhoneEmuProcess.start(tmp, Map.of(), args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalWritesTheWholeReportWithTheUnfinishedPhonesMarked(String signal) throws Exception {
        Path report = tmp.resolve("report");
        try (PhoneEmuProcess p = fleet(report)) {
            assertThat(p.awaitLine("[first boot] booted", 240)).as(p.output()).isNotNull();
            p.signal(signal);
            assertThat(p.await(120)).as(p.output()).isEqualTo(PhoneEmu.STOPPED);
            String out = p.output();
            assertThat(out.lines().filter(l -> l.startsWith("phone-emu: fleet stopped (SIG" + signal + ")")).count()).as(out).isEqualTo(1);
            assertThat(out).doesNotContain("Exception", "\tat ");
            assertComplete(report, "SIG" + signal);
        }
    }

    @Test
    void theDeadlineStopsTheRunAndSaysSo() throws Exception {
        Path report = tmp.resolve("report");
        try (PhoneEmuProcess p = fleet(report, "--max-duration", "1s", "--stop-grace", "0")) {
            assertThat(p.await(240)).as(p.output()).isEqualTo(PhoneEmu.STOPPED);
            assertThat(p.output()).contains("phone-emu: fleet stopped (--max-duration 1s reached)");
            assertComplete(report, "--max-duration 1s reached");
        }
    }

    private static void assertComplete(Path report, String why) throws Exception {
        List<String> csv = Files.readAllLines(report.resolve("phones.csv"), StandardCharsets.UTF_8);
        assertThat(csv).hasSize(PHONES + 1);
        Map<String, Long> verdicts = csv.stream().skip(1).map(l -> l.split(",")[2]).collect(Collectors.groupingBy(v -> v, Collectors.counting()));
        assertThat(verdicts.keySet()).contains("not-booted").isSubsetOf("trusted", "not-booted", "interrupted");
        assertThat(verdicts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(PHONES);
        String summary = Files.readString(report.resolve("summary.json"));
        assertThat(summary).contains("\"phones\": " + PHONES, "\"stopped\": \"" + why + "\"", "\"not-booted\": " + verdicts.get("not-booted"));
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.resolve("junit.xml").toFile());
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(PHONES);
        assertThat(Files.readString(report.resolve("latency.hlog"))).contains("#[BaseTime:");
    }
}
