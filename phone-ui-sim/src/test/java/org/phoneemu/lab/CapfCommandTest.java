package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;

/** {@code phone-emu capf} against the simulated cluster's CAPF, then {@code boot} reading the config encrypted to the new LSC. */
class CapfCommandTest {
    static final String YAML = """
            cluster:
              name: capf-cli
              domain: lab.example
              keySizes: {default: 1024}
              ports: {tftp: 0, tvs: 0, https: 0}
            nodes:
              - {hostname: pub, address: 127.0.0.1}
            devices:
              - {mac: "0011223344C1", encryption: true, capf: {operation: install, authMode: nullString, keySize: 1024}}
              - {mac: "0011223344C2", capf: {operation: install, authMode: authString, authString: "2468", keySize: 1024}}
              - {mac: "0011223344C3", encryption: true, capf: {operation: install, authMode: authString, authString: "1357", keySize: 1024}}
              - {mac: "0011223344C4", model: 8841, encryption: true, capf: {operation: install, authMode: existingCertificate, keySize: 1024}}
            """;

    @TempDir
    Path tmp;
    Cluster cluster;
    String capf;
    String tftp;
    Path capfPem;

    @BeforeEach
    void start() throws Exception {
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(tmp.resolve("cluster"))
                .clock(Clock.systemUTC()).build();
        cluster.start().join();
        InetSocketAddress a = cluster.capfAddress("pub");
        capf = "127.0.0.1:" + a.getPort();
        tftp = "127.0.0.1:" + cluster.publisher().tftpPort();
        capfPem = tmp.resolve("CAPF.pem");
        Files.writeString(capfPem, PemFiles.toPem(cluster.capfCertificate()));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void capfCommandEnrolsAndTheNextBootDecryptsTheEncryptedConfig() {
        Path flash = tmp.resolve("SEP0011223344C3");
        // Authentication string pending but not typed: the boot cannot enrol; the config is published unencrypted.
        Cli.Result before = Cli.run("boot", "--tftp", tftp, "--mac", "0011223344C3", "--state", flash.toString());
        assertThat(before.code()).as(before.out()).isZero();
        assertThat(before.out()).contains("waiting for the CAPF authentication string").doesNotContain("enc.sgn");

        // Trusted through the CAPF record of the ITL the boot installed (no --capf-cert).
        Cli.Result enrol = Cli.run("capf", "--capf", capf, "--mac", "0011223344C3", "--auth-string", "1357", "--state", flash.toString());
        assertThat(enrol.code()).as(enrol.out() + enrol.err()).isZero();
        assertThat(enrol.out()).contains("SECD: capf_srvr_cert_vfy: CAPF cert verified with the CAPF record of the TL",
                "LSC installed: CN=SEP0011223344C3", "Status message: LSC: Installed");
        assertThat(Files.exists(flash.resolve("lsc.pem"))).isTrue();

        Cli.Result after = Cli.run("boot", "--tftp", tftp, "--mac", "0011223344C3", "--state", flash.toString());
        assertThat(after.code()).as(after.out()).isZero();
        assertThat(after.out()).contains("requesting SEP0011223344C3.cnf.xml.enc.sgn", "decrypted with the phone's LSC")
                .doesNotContain("capfClientSession: connecting");
    }

    @Test
    void capfWithPcapWritesTheEnrolmentAsTlsAndItsMessagesInClearToTheSecondFile() throws Exception {
        java.nio.file.Path tshark = org.phoneemu.core.testing.RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        Path pcap = tmp.resolve("capf.pcap");
        Cli.Result enrol = Cli.run("capf", "--capf", capf, "--capf-cert", capfPem.toString(), "--mac", "0011223344C2", "--auth-string", "2468",
                "--state", tmp.resolve("SEP0011223344C2").toString(), "--pcap", pcap.toString(), "--pcap-decrypted");
        assertThat(enrol.code()).as(enrol.out() + enrol.err()).isZero();
        String port = capf.substring(capf.indexOf(':') + 1);
        assertThat(PacketCaptureTest.tshark(tshark, pcap, "-Y", "tcp.port == " + port + " && tls.handshake.type == 1", "-T", "fields",
                "-e", "frame.number")).as("the ClientHello to CAPF").isNotEmpty();
        String clear = String.join("", PacketCaptureTest.tshark(tshark, tmp.resolve("capf-decrypted.pcap"), "-Y",
                "tcp.port == " + port + " && tcp.len > 0", "-T", "fields", "-e", "tcp.payload"));
        assertThat(clear).as("the new LSC's subject, in clear").contains(PacketCaptureTest.hex("SEP0011223344C2"));
    }

    @Test
    void bootEnrolsByItsMicThenDecrypts() {
        // By existing certificate: the phone proves itself with its MIC (SIGNED_DATA), gets its LSC, and the same
        // boot reads the config encrypted to it.
        Path flash = tmp.resolve("SEP0011223344C4");
        Cli.Result boot = Cli.run("boot", "--tftp", tftp, "--mac", "0011223344C4", "--model", "8841", "--state", flash.toString());
        assertThat(boot.code()).as(boot.out()).isZero();
        assertThat(boot.out()).containsSubsequence("authentication by existing certificate", "generating a RSA 1024 key pair",
                "LSC installed: CN=SEP0011223344C4", "requesting SEP0011223344C4.cnf.xml.enc.sgn", "decrypted with the phone's LSC");
    }

    @Test
    void bootRunsThePendingOperationItselfThenDecrypts() {
        Path flash = tmp.resolve("SEP0011223344C1");
        Cli.Result first = Cli.run("boot", "--tftp", tftp, "--mac", "0011223344C1", "--state", flash.toString());
        assertThat(first.code()).as(first.out()).isZero();
        assertThat(first.out()).containsSubsequence("certificate operation INSTALL pending, authentication by null string",
                "capfClientSession: connecting to the CAPF server", "LSC installed: CN=SEP0011223344C1",
                "requesting SEP0011223344C1.cnf.xml.enc.sgn", "decrypted with the phone's LSC", "LSC: Installed");
        Cli.Result second = Cli.run("boot", "--tftp", tftp, "--mac", "0011223344C1", "--state", flash.toString());
        assertThat(second.code()).as(second.out()).isZero();
        assertThat(second.out()).contains("decrypted with the phone's LSC").doesNotContain("capfClientSession: connecting");
    }

    @Test
    void authStringRightWrongAndBadInput() throws Exception {
        Path flash = tmp.resolve("SEP0011223344C2");
        Cli.Result wrong = Cli.run("capf", "--capf", capf, "--capf-cert", capfPem.toString(), "--mac", "0011223344C2",
                "--auth-string", "1357", "--state", flash.toString());
        assertThat(wrong.code()).as(wrong.out()).isEqualTo(1);
        assertThat(wrong.out()).contains("invalid element (7)", "Status message: LSC: Operation Failed");
        assertThat(Files.exists(flash.resolve("lsc.pem"))).isFalse();

        Cli.Result right = Cli.run("capf", "--capf", capf, "--capf-cert", capfPem.toString(), "--mac", "0011223344C2",
                "--auth-string", "2468", "--state", flash.toString());
        assertThat(right.code()).as(right.out()).isZero();
        assertThat(Cli.run("phone", "status", "--state", flash.toString()).out()).contains("LSC: Operation Failed", "LSC: Installed");

        assertThat(Cli.run("capf", "--capf", capf, "--capf-cert", capfPem.toString(), "--mac", "0011223344C2",
                "--auth-string", "12ab", "--state", flash.toString()).code()).isEqualTo(2);
        Cli.Result noTrust = Cli.run("capf", "--capf", capf, "--mac", "0011223344C2", "--state", tmp.resolve("fresh").toString());
        assertThat(noTrust.code()).isEqualTo(2);
        assertThat(noTrust.err()).contains("no way to trust the CAPF server").doesNotContain("Exception");
        // A pinned certificate that is not the server's: refused before anything is sent.
        Cli.Result pinnedWrong = Cli.run("capf", "--capf", capf, "--capf-cert", flash.resolve("mic.pem").toString(),
                "--mac", "0011223344C2", "--auth-string", "2468", "--state", flash.toString());
        assertThat(pinnedWrong.code()).isEqualTo(1);
        assertThat(pinnedWrong.out()).contains("CAPF cert not found in TL");
    }

    @Test
    void unreachableIsExitTwo() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Cli.Result r = Cli.run("capf", "--capf", "127.0.0.1:" + port, "--capf-cert", capfPem.toString(), "--mac", "0011223344C1",
                "--tries", "2", "--retry-delay", "0", "--state", tmp.resolve("u").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("try 2 of 2", "CAPF server unreachable", "Status message: LSC: Connection Failed");
        assertThat(r.err()).doesNotContain("Exception").contains("phone-emu: CAPF server 127.0.0.1:" + port + " unreachable after 2 tries");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }
}
