package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.tftp.testing.TftpdHpa;

/** {@code boot} and {@code fleet} with {@code --transport} (docs/PROTOCOLS.md §4). */
class TransportCommandsTest {
    private static final Path REPO = org.phoneemu.core.testing.Vectors.root().getParent();

    @Test
    void fleetOf8845sAgainstAClusterServingHttpsTakesTheConfigsOverHttpsAndTftpForcesTftp(@TempDir Path tmp) throws Exception {
        String yaml = Files.readString(REPO.resolve("config/clusters/lab.yaml"))
                .replace("  timeZone: UTC\n", "  timeZone: UTC\n  provisioning: {http: true, https: true}\n");
        Path cluster = tmp.resolve("https-lab.yaml");
        Files.writeString(cluster, yaml);

        Cli.Result r = Cli.run("fleet", "--sim", cluster.toString(), "--phones", "20", "--model", "8845", "--flash", "memory",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Every phone ended trusted.", "Files received over: HTTPS 20, HTTP 20, TFTP 0");

        Cli.Result tftp = Cli.run("fleet", "--sim", cluster.toString(), "--phones", "5", "--model", "8845", "--flash", "memory",
                "--work", tmp.resolve("work2").toString(), "--key-pool", tmp.resolve("keys").toString(), "--progress", "0",
                "--transport", "tftp");
        assertThat(tftp.code()).as(tftp.out() + tftp.err()).isZero();
        assertThat(tftp.out()).contains("Files received over: HTTPS 0, HTTP 0, TFTP 10");
    }

    @Test
    void bootSaysWhatEachFileCameOverAndRefusesAnUnknownTransport(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("files");
        Cli.Result files = LabAndBootCommandsTest.run("cucm", "files", "--cluster",
                REPO.resolve("config/scenarios/clusters/one-node.yaml").toString(), "--state", tmp.resolve("state").toString(),
                "--out", out.toString());
        assertThat(files.code()).as(files.err()).isZero();
        try (TftpdHpa server = TftpdHpa.startOrSkip(out.resolve("cucmpub"))) {
            String tftp = "127.0.0.1:" + server.address().getPort();
            Cli.Result boot = LabAndBootCommandsTest.run("boot", "--tftp", tftp, "--mac", "001122334455", "--model", "8845",
                    "--http-port", String.valueOf(freePort()), "--state", tmp.resolve("phone").toString());
            assertThat(boot.code()).as(boot.out() + boot.err()).isZero();
            assertThat(boot.out()).contains("falling back to TFTP", "Files: ITLSEP001122334455.tlv over TFTP",
                    "SEP001122334455.cnf.xml.sgn over TFTP", "Result: trusted");

            Cli.Result bad = LabAndBootCommandsTest.run("boot", "--tftp", tftp, "--mac", "001122334455", "--transport", "ftp",
                    "--state", tmp.resolve("phone").toString());
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).contains("--transport takes auto, http or tftp, not 'ftp'");
        }
    }

    /** A loopback port nothing listens on (the connection is refused at once). */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
