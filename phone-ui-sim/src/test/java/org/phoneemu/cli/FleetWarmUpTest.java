package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet --warm-up N}: N other phones (new MACs after the fleet's) first boot before the measured round, on the
 * same cluster, and are left out of the report; the measured phones still first boot (they are new to the cluster).
 */
class FleetWarmUpTest {
    private static final Path REPO = org.phoneemu.core.testing.Vectors.root().getParent();

    @TempDir
    Path tmp;

    @Test
    void theWarmUpPhonesBootFirstAndAreNotInTheReport() throws Exception {
        Path report = tmp.resolve("report");
        Cli.Result r = Cli.run("fleet", "--sim", REPO.resolve("config/clusters/lab.yaml").toString(), "--phones", "20",
                "--warm-up", "15", "--flash", "memory", "--report", report.toString(), "--work", tmp.resolve("work").toString(),
                "--key-pool", tmp.resolve("keys").toString(), "--progress", "0", "--no-register");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("warm-up: 15 other phones booted in ", "15 trusted; not in the report",
                "first boot: 20 boots", "Every phone ended trusted.");
        assertThat(r.out().indexOf("warm-up: ")).isLessThan(r.out().indexOf("first boot: 20 boots"));
        List<String> rows = Files.readAllLines(report.resolve("phones.csv"));
        assertThat(rows).hasSize(21); // the header and the 20 measured phones
        assertThat(rows.get(20)).startsWith("00AB00000013,"); // the last measured MAC; the warm-up ones (…14 on) are not there
        assertThat(String.join("\n", rows)).doesNotContain("00AB00000014");
        JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        assertThat(summary.get("phones").asInt()).isEqualTo(20);
        assertThat(summary.toString()).contains("\"warmUpPhones\":\"15\"");
    }

    @Test
    void aNegativeWarmUpIsBadInput() {
        Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.1:9", "--phones", "2", "--warm-up", "-1", "--flash", "memory",
                "--key-pool", tmp.resolve("keys").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--warm-up must be between 0 and 1000000");
    }
}
