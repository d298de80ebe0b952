package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.core.testing.RequiredPeer;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;

/**
 * {@code boot --pcap}: the capture written with Netty's PcapWriteHandler is read back by tshark. The phone's read
 * requests appear in the order of its boot, and the bytes of each transfer add up to the size of the served file.
 */
class PacketCaptureTest {
    static final Path ONE_NODE = Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml");

    @Test
    void tsharkReadsTheBootsTftpRequestsInOrderWithEveryByteOfEachFile(@TempDir Path tmp) throws Exception {
        Path tshark = RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        try (Cluster cluster = Cluster.builder().config(ONE_NODE).stateDirectory(tmp.resolve("state")).mirrorFiles(false).build()) {
            cluster.start().join();
            Node pub = cluster.publisher();
            Path pcap = tmp.resolve("boot.pcap");
            Cli.Result boot = Cli.run("boot", "--tftp", pub.address().getHostAddress() + ":" + pub.tftpPort(), "--mac", "001122334455",
                    "--state", tmp.resolve("phone").toString(), "--pcap", pcap.toString());
            assertThat(boot.code()).as(boot.out() + boot.err()).isZero();

            List<String> lines = tshark(tshark, pcap, "-Y", "tftp", "-T", "fields", "-E", "separator=|",
                    "-e", "udp.srcport", "-e", "udp.dstport", "-e", "tftp.opcode", "-e", "tftp.source_file", "-e", "data.len");
            Map<String, String> fileOfPort = new LinkedHashMap<>();
            Map<String, Integer> bytes = new LinkedHashMap<>();
            for (String l : lines) {
                String[] f = l.split("\\|", -1);
                if (f[2].equals("1")) {
                    fileOfPort.put(f[0], f[3]);
                    bytes.put(f[3], 0);
                } else if (f[2].equals("3") && fileOfPort.containsKey(f[1])) {
                    bytes.merge(fileOfPort.get(f[1]), f[4].isEmpty() ? 0 : Integer.parseInt(f[4]), Integer::sum);
                }
            }
            assertThat(new ArrayList<>(bytes.keySet())).containsExactly("CTLSEP001122334455.tlv", "CTLFile.tlv",
                    "ITLSEP001122334455.tlv", "SEP001122334455.cnf.xml.sgn");
            assertThat(bytes.get("ITLSEP001122334455.tlv")).isEqualTo(cluster.file("cucmpub", "ITLSEP001122334455.tlv").orElseThrow().length);
            assertThat(bytes.get("SEP001122334455.cnf.xml.sgn"))
                    .isEqualTo(cluster.file("cucmpub", "SEP001122334455.cnf.xml.sgn").orElseThrow().length);
            assertThat(bytes.get("CTLFile.tlv")).isZero(); // not in mixed mode: File Not Found
        }
    }

    @Test
    void theTvsQuestionOfAPressIsEncryptedInThePcapAndReadableInTheDecryptedOne(@TempDir Path tmp) throws Exception {
        Path tshark = RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        try (Cluster cluster = Cluster.builder().config(ONE_NODE).stateDirectory(tmp.resolve("state")).mirrorFiles(false).build()) {
            cluster.start().join();
            Node pub = cluster.publisher();
            Path pcap = tmp.resolve("press.pcap");
            // The directory's tomcat certificate is not in the ITL: the phone asks TVS about it.
            Cli.Result boot = Cli.run("boot", "--tftp", pub.address().getHostAddress() + ":" + pub.tftpPort(), "--mac", "001122334455",
                    "--state", tmp.resolve("phone").toString(), "--press", "directories", "--pcap", pcap.toString(), "--pcap-decrypted");
            assertThat(boot.code()).as(boot.out() + boot.err()).isZero();
            assertThat(boot.out()).contains("Press directories: shown");
            Path decrypted = tmp.resolve("press-decrypted.pcap");
            String filter = "tcp.port == " + pub.tvsPort() + " && tcp.len > 0";
            List<String> enc = tshark(tshark, pcap, "-Y", filter, "-T", "fields", "-e", "tcp.payload");
            List<String> dec = tshark(tshark, decrypted, "-Y", filter, "-T", "fields", "-e", "tcp.payload");
            String device = java.util.HexFormat.of().formatHex("CP-7970-SEP001122334455".getBytes(StandardCharsets.US_ASCII));
            assertThat(enc).as("TVS bytes on the wire").isNotEmpty();
            assertThat(String.join("", enc)).as("encrypted").doesNotContain(device);
            assertThat(String.join("", dec)).as("the decrypted TVS request names the device").contains(device);
            // The press's HTTPS connection to the directory is captured too, as TLS.
            List<String> https = tshark(tshark, pcap, "-Y", "tcp.port == " + pub.httpsPort() + " && tls.handshake.type == 1",
                    "-T", "fields", "-e", "tls.handshake.type");
            assertThat(https).as("the ClientHello to the directory server").isNotEmpty();
        }
    }

    @Test
    void aFleetCapturesEveryPhonesReadRequests(@TempDir Path tmp) throws Exception {
        Path tshark = RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        Path pcap = tmp.resolve("fleet.pcap");
        Cli.Result fleet = Cli.run("fleet", "--sim", ONE_NODE.toString(), "--phones", "3", "--flash", "memory",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString(), "--pcap", pcap.toString());
        assertThat(fleet.code()).as(fleet.out() + fleet.err()).isZero();
        List<String> rrqs = tshark(tshark, pcap, "-Y", "tftp.opcode == 1", "-T", "fields", "-e", "tftp.source_file");
        // Each phone: CTLSEP, CTLFile (not in mixed mode), ITLSEP or ITLFile, its config.
        assertThat(rrqs.stream().filter(f -> f.startsWith("CTL")).count()).isEqualTo(6);
        assertThat(rrqs.stream().filter(f -> f.startsWith("ITL")).count()).isGreaterThanOrEqualTo(3);
        assertThat(rrqs.stream().filter(f -> f.contains(".cnf.xml")).count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anUnwritablePcapFileIsBadInput(@TempDir Path tmp) throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("file"), "x");
        Cli.Result r = Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334455", "--state", tmp.resolve("phone").toString(),
                "--pcap", tmp.resolve("file").resolve("boot.pcap").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("phone-emu: cannot write");
    }

    static List<String> tshark(Path tshark, Path pcap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tshark.toString(), "-r", pcap.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark exit code").isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
