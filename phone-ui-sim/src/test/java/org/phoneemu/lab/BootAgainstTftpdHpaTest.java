package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.RequiredPeer;

/**
 * {@code ./phone-emu boot} against a third-party TFTP server: tftpd-hpa serving what {@code ./phone-emu cucm files}
 * exported. Nothing of the simulated cluster runs; the phone trusts the ITL on first use and verifies the config.
 */
class BootAgainstTftpdHpaTest {
    @Test
    void bootTrustsTheExportedFilesServedByTftpdHpa(@TempDir Path tmp) throws Exception {
        Path tftpd = RequiredPeer.requireProgram("tftpd-hpa (in.tftpd)", "/usr/sbin/in.tftpd", "in.tftpd");
        Path repo = org.phoneemu.core.testing.Vectors.root().getParent();
        Path out = tmp.resolve("files");
        org.phoneemu.cli.Cli.Result files = LabAndBootCommandsTest.run("cucm", "files", "--cluster",
                repo.resolve("config/scenarios/clusters/one-node.yaml").toString(), "--state", tmp.resolve("state").toString(),
                "--out", out.toString());
        assertThat(files.code()).as(files.err()).isZero();
        assertThat(out.resolve("cucmpub").resolve("ITLFile.tlv")).exists();
        assertThat(out.resolve("certs").resolve("cucmpub-CallManager.pem")).exists();

        int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder(List.of(tftpd.toString(), "-L", "-u", System.getProperty("user.name"),
                "-a", "127.0.0.1:" + port, "-s", out.resolve("cucmpub").toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("tftpd.log").toFile()).start();
        try {
            Thread.sleep(300); // let it bind; a slow start shows up as TFTP retransmissions, not a failure
            assertThat(server.isAlive()).as("in.tftpd started: " + read(tmp.resolve("tftpd.log"))).isTrue();
            org.phoneemu.cli.Cli.Result boot = LabAndBootCommandsTest.run("boot", "--tftp", "127.0.0.1:" + port,
                    "--mac", "001122334455", "--state", tmp.resolve("phone").toString());
            assertThat(boot.code()).as(boot.out() + boot.err()).isZero();
            assertThat(boot.out()).contains("TFTP: [", "Finished --> rcvd", "File sign verify SUCCESS",
                    "SECD: verifyFile: verify SUCCESS </usr/ram/SEP001122334455.cnf.xml>", "Result: trusted");
            byte[] installed = Files.readAllBytes(tmp.resolve("phone").resolve("ITLFile.tlv"));
            assertThat(installed).isEqualTo(Files.readAllBytes(out.resolve("cucmpub").resolve("ITLFile.tlv")));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
