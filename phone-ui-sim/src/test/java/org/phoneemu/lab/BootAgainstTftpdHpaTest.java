package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.tftp.testing.TftpdHpa;

/**
 * {@code ./phone-emu boot} against a third-party TFTP server: tftpd-hpa serving what {@code ./phone-emu cucm files}
 * exported. Nothing of the simulated cluster runs; the phone trusts the ITL on first use and verifies the config.
 */
class BootAgainstTftpdHpaTest {
    @Test
    void bootTrustsTheExportedFilesServedByTftpdHpa(@TempDir Path tmp) throws Exception {
        Path repo = org.phoneemu.core.testing.Vectors.root().getParent();
        Path out = tmp.resolve("files");
        org.phoneemu.cli.Cli.Result files = LabAndBootCommandsTest.run("cucm", "files", "--cluster",
                repo.resolve("config/scenarios/clusters/one-node.yaml").toString(), "--state", tmp.resolve("state").toString(),
                "--out", out.toString());
        assertThat(files.code()).as(files.err()).isZero();
        assertThat(out.resolve("cucmpub").resolve("ITLFile.tlv")).exists();
        assertThat(out.resolve("certs").resolve("cucmpub-CallManager.pem")).exists();

        try (TftpdHpa server = TftpdHpa.startOrSkip(out.resolve("cucmpub"))) {

            int port = server.address().getPort();
            org.phoneemu.cli.Cli.Result boot = LabAndBootCommandsTest.run("boot", "--tftp", "127.0.0.1:" + port,
                    "--mac", "001122334455", "--state", tmp.resolve("phone").toString());
            assertThat(boot.code()).as(boot.out() + boot.err()).isZero();
            assertThat(boot.out()).contains("TFTP: [", "Finished --> rcvd", "File sign verify SUCCESS",
                    "SECD: verifyFile: verify SUCCESS </usr/ram/SEP001122334455.cnf.xml>", "Result: trusted");
            byte[] installed = Files.readAllBytes(tmp.resolve("phone").resolve("ITLFile.tlv"));
            assertThat(installed).isEqualTo(Files.readAllBytes(out.resolve("cucmpub").resolve("ITLFile.tlv")));
        }
    }

}
