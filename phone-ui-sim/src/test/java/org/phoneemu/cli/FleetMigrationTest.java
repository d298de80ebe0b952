package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet --sim A --cluster-b B --move-before R}: a migration boot storm over loopback. The phones first boot on
 * A, are pointed at B's TFTP before reboot R, and each phone's verdict is what {@code predict --cluster-b} says for the
 * same two clusters (their saved state) and the same flash: locked when B is not prepared (S19), trusted when A's TVS
 * vouches for B's certificates (S20, imported by hand with {@code --admin-before 'B: ...'}).
 */
class FleetMigrationTest {
    private static final Path CLUSTERS = org.phoneemu.core.testing.Vectors.root().getParent().resolve("config/scenarios/clusters");
    private static final String A = CLUSTERS.resolve("one-node.yaml").toString();
    private static final String B = CLUSTERS.resolve("cluster-b.yaml").toString();

    @TempDir
    Path tmp;

    @Test
    void phonesMovedToAnUnpreparedClusterEndLockedPhoneByPhoneAsPredictSays() throws Exception {
        Path devices = devices();
        Path report = tmp.resolve("report");
        Cli.Result r = Cli.run("fleet", "--sim", A, "--cluster-b", B, "--devices", devices.toString(), "--reboots", "1",
                "--move-before", "1", "--flash", tmp.resolve("flash").toString(), "--work", tmp.resolve("work").toString(),
                "--key-pool", tmp.resolve("keys").toString(), "--report", report.toString(), "--expect", "locked", "--progress", "0");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("move: every phone to cluster B (TFTP 127.0.0.12:", "Every phone ended locked.");
        Map<String, String[]> rows = rows(report);
        assertThat(rows).hasSize(3);

        // A locked phone keeps A's ITL and neither cluster changed: the flash and state after the run are those before the move.
        Path json = tmp.resolve("predict.json");
        Cli.Result p = Cli.run("predict", "--cluster", A, "--state", tmp.resolve("work/cluster").toString(), "--cluster-b", B,
                "--state-b", tmp.resolve("work/cluster-b").toString(), "--flash-root", tmp.resolve("flash").toString(),
                "--devices", devices.toString(), "--change", "move all to B", "--json", json.toString());
        assertThat(p.code()).as(p.out() + p.err()).isEqualTo(1);
        Map<String, JsonNode> predicted = groupsByPhone(new ObjectMapper().readTree(json.toFile()).get("steps").get(1));
        assertThat(predicted).hasSize(3);
        rows.forEach((mac, row) -> {
            JsonNode want = predicted.get("SEP" + mac);
            assertThat(row[2]).as("SEP" + mac + ": fleet verdict against predict's").isEqualTo(want.get("verdict").asText());
            assertThat(want.get("held").asText()).as("SEP" + mac + ": the ITL predict started from").startsWith("ITL " + row[4]);
        });
    }

    @Test
    void phonesMovedAfterBsCertificatesWereImportedIntoAStayTrustedAndRegisterToB() throws Exception {
        Path report = tmp.resolve("report");
        Cli.Result r = Cli.run("fleet", "--sim", A, "--cluster-b", B, "--devices", devices().toString(), "--reboots", "1",
                "--admin-before", "1=B: file get cert CallManager", "--admin-before", "1=B: file get cert ITLRecovery",
                "--admin-before", "1=set cert import trust CallManager-trust newpub-CallManager.pem",
                "--admin-before", "1=set cert import trust Phone-SAST-trust newpub-CallManager.pem",
                "--admin-before", "1=set cert import trust CallManager-trust newpub-ITLRecovery.pem",
                "--move-before", "1", "--flash", "memory", "--work", tmp.resolve("work").toString(),
                "--key-pool", tmp.resolve("keys").toString(), "--report", report.toString(), "--progress", "0");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Downloading file: newpub-CallManager.pem", "Successfully imported certificate for CN=newpub.b.example",
                "Every phone ended trusted.");
        assertThat(r.out().indexOf("move: every phone to cluster B")).isGreaterThan(r.out().lastIndexOf("Successfully imported"));
        assertThat(tmp.resolve("work/sftp/newpub-CallManager.pem")).exists(); // the folder both clusters' shells share
        rows(report).forEach((mac, row) -> {
            assertThat(row[5]).as(mac + ": ITL signer").startsWith("CN=newpub.b.example");
            assertThat(row[10]).as(mac + ": registration").isEqualTo("registered");
        });
    }

    @Test
    void aMoveNeedsASecondClusterApartFromTheFirst() {
        Cli.Result noB = Cli.run("fleet", "--sim", A, "--phones", "1", "--reboots", "1", "--move-before", "1", "--flash", "memory",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString());
        assertThat(noB.code()).isEqualTo(2);
        assertThat(noB.err()).contains("--move-before needs --cluster-b");
        Cli.Result round = Cli.run("fleet", "--sim", A, "--cluster-b", B, "--phones", "1", "--reboots", "1", "--move-before", "2",
                "--flash", "memory", "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString());
        assertThat(round.code()).isEqualTo(2);
        assertThat(round.err()).contains("--move-before 2: rounds 1..1 are reboots");
        Cli.Result same = Cli.run("fleet", "--sim", A, "--cluster-b", A, "--phones", "1", "--flash", "memory",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");
        assertThat(same.code()).isEqualTo(2);
        assertThat(same.err().strip()).startsWith("phone-emu: --cluster-b: clusters A (").contains("both put a node on 127.0.0.2")
                .doesNotContain("\n");
    }

    /** Two phones both cluster files know, and one only the fleet adds. */
    private Path devices() throws Exception {
        Path f = tmp.resolve("devices.csv");
        Files.writeString(f, "mac,model\n001122334455,7970\n001122334466,8841\n001122334499,7970\n");
        return f;
    }

    private static Map<String, String[]> rows(Path report) throws Exception {
        Map<String, String[]> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(report.resolve("phones.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            out.put(cells[0], cells);
        }
        return out;
    }

    private static Map<String, JsonNode> groupsByPhone(JsonNode step) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode g : step.get("groups")) {
            for (JsonNode phone : g.get("phones")) {
                out.put(phone.asText(), g);
            }
        }
        return out;
    }
}
