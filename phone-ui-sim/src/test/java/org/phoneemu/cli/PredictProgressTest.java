package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phoneemu.core.testing.Vectors;

/**
 * A long prediction says where it is on stderr every few seconds (here not a terminal: with --progress), and a SIGINT
 * or SIGTERM stops it with one line saying how far it got (it printed nothing for minutes on 10^6 devices, and a
 * signal left no word). Without --progress and off a terminal, a refused step is still one line (ErrorTableTest).
 */
class PredictProgressTest {
    private static final Path REPO = Vectors.root().getParent();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aLongPredictionSaysWhereItIsAndOneLineWhenStopped(String signal) throws Exception {
        Path devices = tmp.resolve("devices.csv");
        Files.writeString(devices, IntStream.range(0, 5000).mapToObj(i -> String.format("0011%08X,7970", i))
                .collect(Collectors.joining("\n", "", "\n")));
        try (PhoneEmuProcess p = PhoneEmuProcess.start(tmp, Map.of(), "predict", "--cluster", REPO.resolve("config/clusters/lab.yaml").toString(),
                "--devices", devices.toString(), "--change", "set cert regen CallManager", "--change", "set cert regen TVS", "--progress")) {
            String progress = p.awaitLine("predict: ", 300);
            assertThat(progress).as("a progress line before the prediction ends").isNotNull().matches("predict: \\d+ s, .+");
            p.signal(signal);
            int code = p.await(120);
            assertThat(code).isEqualTo(signal.equals("TERM") ? 143 : 130);
            List<String> lines = p.output().lines().toList();
            assertThat(lines.stream().filter(l -> l.startsWith("predict: stopped after"))).singleElement().asString()
                    .contains("no result").doesNotContain("Exception");
            assertThat(lines.get(lines.size() - 1)).startsWith("predict: stopped after");
            assertThat(p.output()).doesNotContain("Result:").doesNotContain("at org.");
        }
    }
}
