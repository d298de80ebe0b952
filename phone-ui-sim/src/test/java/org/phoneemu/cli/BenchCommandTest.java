package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.RequiredPeer;

/**
 * {@code bench fleet} with small counts, called from a folder without phone-emu's config (the module's folder, as a
 * user's would be): it finds its own cluster file as lab does, runs the three parts and prints them side by side.
 * No figure is asserted: the bench measures, the test only checks that it runs.
 */
class BenchCommandTest {
    @Test
    void benchFleetFindsItsClusterFileFromAnyFolderAndPrintsThePartsSideBySide(@TempDir Path tmp) throws Exception {
        RequiredPeer.requireProgram("tftpd-hpa (in.tftpd)", "/usr/sbin/in.tftpd", "in.tftpd");
        RequiredPeer.requireProgram("curl", "/usr/bin/curl", "curl");
        RequiredPeer.requireProgram("nginx (nginx-light)", "/usr/sbin/nginx", "nginx");
        RequiredPeer.requireProgram("kamailio (Debian package kamailio)", "/usr/sbin/kamailio", "kamailio");
        assertThat(Path.of("config/clusters/lab.yaml")).as("the test runs where the default file is not").doesNotExist();
        Cli.Result r = Cli.run("bench", "fleet", "--phones", "40", "--tftp-phones", "20", "--peer-phones", "4", "--register-phones", "20",
                "--work", tmp.resolve("bench").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("1/3 fleet --sim", "config/clusters/lab.yaml", "fleet --sim: first boot", "tftpd-hpa")
                .doesNotContain("skipped");
        // Side by side, as client CPU per boot (wall time against tftpd-hpa measures tftpd-hpa).
        assertThat(r.out()).containsPattern("client CPU per boot against the same tftpd-hpa: fleet [0-9.]+ ms .*, shell-script peer [0-9.]+ ms");
        assertThat(Files.list(tmp.resolve("bench")).count()).isPositive();
        // The HTTP row: the same files over HTTP 6970 from nginx, every file of every phone over HTTP (ITL and config).
        assertThat(r.out()).contains("fleet, same files over HTTP 6970 (nginx): first boot");
        assertThat(Files.readString(tmp.resolve("bench").resolve("http").resolve("summary.json"))).contains("HTTPS 0, HTTP 40, TFTP 0");
        // The registration row: every phone registered, at a positive rate and latency, by the fleet's reboot and by each
        // registrar's storm (the simulated one, Kamailio).
        assertThat(r.out()).contains("REGISTRATION (new mutual TLS, RSA-2048 server key)");
        for (String row : new String[] {"fleet --sim --register: reboot", "storm: fleet's SIP client -> simulated registrar",
                "storm: fleet's SIP client -> Kamailio"}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(row)
                    + ".*? +20 +20 +([0-9.]+) +([0-9]+)/([0-9]+)").matcher(r.out());
            assertThat(m.find()).as(row + " in\n" + r.out()).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as(row + " registrations/s").isPositive();
            assertThat(Integer.parseInt(m.group(3))).as(row + " p99 ms").isGreaterThanOrEqualTo(Integer.parseInt(m.group(2)));
        }
    }
}
