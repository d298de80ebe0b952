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
import org.phoneemu.cucm.https.DirectoryServer;

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

            Transfers t = Transfers.read(tshark, pcap);
            // The address the kernel sends from to reach the publisher (a UDP connect sends nothing).
            String phoneAddress = sourceAddressTowards(pub.address());
            List<String> rrqSources = t.rrqSources();
            List<String> dataDestinations = t.dataDestinations();
            Map<String, Integer> bytes = t.bytes();
            assertThat(phoneAddress).isNotEqualTo("0.0.0.0");
            assertThat(rrqSources).as("the RRQs leave from the phone's real address").hasSize(4).containsOnly(phoneAddress);
            assertThat(dataDestinations).as("the DATA packets arrive at it").isNotEmpty().containsOnly(phoneAddress);
            assertThat(new ArrayList<>(bytes.keySet())).containsExactly("CTLSEP001122334455.tlv", "CTLFile.tlv",
                    "ITLSEP001122334455.tlv", "SEP001122334455.cnf.xml.sgn");
            assertThat(bytes.get("ITLSEP001122334455.tlv")).isEqualTo(cluster.file("cucmpub", "ITLSEP001122334455.tlv").orElseThrow().length);
            assertThat(bytes.get("SEP001122334455.cnf.xml.sgn"))
                    .isEqualTo(cluster.file("cucmpub", "SEP001122334455.cnf.xml.sgn").orElseThrow().length);
            assertThat(bytes.get("CTLFile.tlv")).isZero(); // not in mixed mode: File Not Found
        }
    }

    @Test
    void againstTftpdHpaServingTheExportedFilesTheCaptureHoldsEveryByteOfEachFile(@TempDir Path tmp) throws Exception {
        Path tshark = RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        Path out = tmp.resolve("files");
        Cli.Result files = Cli.run("cucm", "files", "--cluster", ONE_NODE.toString(), "--state", tmp.resolve("state").toString(),
                "--out", out.toString());
        assertThat(files.code()).as(files.err()).isZero();
        Path served = out.resolve("cucmpub");
        try (org.phoneemu.tftp.testing.TftpdHpa server = org.phoneemu.tftp.testing.TftpdHpa.startOrSkip(served)) {
            Path pcap = tmp.resolve("boot.pcap");
            Cli.Result boot = Cli.run("boot", "--tftp", "127.0.0.1:" + server.address().getPort(), "--mac", "001122334455",
                    "--state", tmp.resolve("phone").toString(), "--pcap", pcap.toString());
            assertThat(boot.code()).as(boot.out() + boot.err()).isZero();
            Map<String, Integer> bytes = Transfers.read(tshark, pcap).bytes();
            assertThat(new ArrayList<>(bytes.keySet())).containsExactly("CTLSEP001122334455.tlv", "CTLFile.tlv",
                    "ITLSEP001122334455.tlv", "SEP001122334455.cnf.xml.sgn");
            for (String name : List.of("ITLSEP001122334455.tlv", "SEP001122334455.cnf.xml.sgn")) {
                assertThat(bytes.get(name)).as(name).isEqualTo((int) java.nio.file.Files.size(served.resolve(name)));
            }
        }
    }

    @Test
    void aPressesTvsQuestionAndHttpsRequestAreTlsInThePcapAndClearInTheDecryptedOne(@TempDir Path tmp) throws Exception {
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
            // The press's HTTPS connection to the directory: TLS in the pcap, HTTP in the decrypted file.
            List<String> https = tshark(tshark, pcap, "-Y", "tcp.port == " + pub.httpsPort() + " && tls.handshake.type == 1",
                    "-T", "fields", "-e", "tls.handshake.type");
            assertThat(https).as("the ClientHello to the directory server").isNotEmpty();
            int port = pub.httpsPort();
            // The directory server listens on an ephemeral port: tell tshark it speaks HTTP there.
            String asHttp = "tcp.port==" + port + ",http";
            List<String> requests = tshark(tshark, decrypted, "-d", asHttp, "-Y", "tcp.port == " + port + " && http.request",
                    "-T", "fields", "-E", "separator=|", "-e", "http.request.method", "-e", "http.request.uri");
            // The Directories menu, then its Corporate Directory item with the phone's name (seeds 001/003).
            assertThat(requests).as("the directory GETs, in clear").containsExactly("GET|" + DirectoryServer.DIRECTORY_PATH,
                    "GET|" + DirectoryServer.INPUT_PATH + "?name=SEP001122334455");
            List<String> responses = tshark(tshark, decrypted, "-d", asHttp, "-Y", "tcp.port == " + port + " && http.response",
                    "-T", "fields", "-e", "http.response.code");
            assertThat(responses).as("the directory's answers, in clear").containsExactly("200", "200");
            assertThat(tshark(tshark, decrypted, "-Y", "tcp.port == " + port + " && tls", "-T", "fields", "-e", "frame.number"))
                    .as("no TLS record in the decrypted file").isEmpty();

            String clear = String.join("", tshark(tshark, pcap, "-Y", "tcp.port == " + port + " && tcp.len > 0", "-T", "fields",
                    "-e", "tcp.payload"));
            assertThat(clear).as("bytes of the HTTPS connection in the pcap").isNotEmpty()
                    .doesNotContain(hex("GET " + DirectoryServer.DIRECTORY_PATH)).doesNotContain(hex("HTTP/1.1 200"));
            // Application data: content type 23 (TLS 1.2), or the opaque type 23 every TLS 1.3 record carries.
            String applicationData = "(tls.record.opaque_type == 23 || tls.record.content_type == 23)";
            assertThat(tshark(tshark, pcap, "-Y", "tcp.port == " + port + " && " + applicationData, "-T", "fields",
                    "-e", "frame.number")).as("the request and response as TLS application data").isNotEmpty();
            assertThat(tshark(tshark, pcap, "-d", asHttp, "-Y", "tcp.port == " + port + " && http", "-T", "fields",
                    "-e", "frame.number")).as("no cleartext HTTP in the pcap").isEmpty();
        }
    }

    @Test
    void aCapfEnrolmentIsTlsInThePcapAndItsMessagesAreInTheDecryptedOne(@TempDir Path tmp) throws Exception {
        Path tshark = RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        Path capfCluster = Vectors.root().getParent().resolve("config/scenarios/clusters/capf.yaml");
        try (Cluster cluster = Cluster.builder().config(capfCluster).stateDirectory(tmp.resolve("state")).mirrorFiles(false).build()) {
            cluster.start().join();
            Node pub = cluster.publisher();
            int capf = cluster.capfAddress(pub.id()).getPort();
            Path pcap = tmp.resolve("enrol.pcap");
            // The config has an LSC install pending: the boot enrols over CAPF, then reads the config encrypted to the new LSC.
            Cli.Result boot = Cli.run("boot", "--tftp", pub.address().getHostAddress() + ":" + pub.tftpPort(), "--mac", "0011223344D1",
                    "--state", tmp.resolve("phone").toString(), "--pcap", pcap.toString(), "--pcap-decrypted");
            assertThat(boot.code()).as(boot.out() + boot.err()).isZero();
            String onCapf = "tcp.port == " + capf + " && tcp.len > 0";
            assertThat(tshark(tshark, pcap, "-Y", "tcp.port == " + capf + " && tls.handshake.type == 1", "-T", "fields",
                    "-e", "frame.number")).as("the ClientHello to CAPF").isNotEmpty();
            List<String> clear = tshark(tshark, tmp.resolve("enrol-decrypted.pcap"), "-Y", onCapf, "-T", "fields", "-e", "tcp.payload");
            assertThat(clear).as("the CAPF messages in clear").isNotEmpty();
            assertThat(tshark(tshark, tmp.resolve("enrol-decrypted.pcap"), "-Y", "tcp.port == " + capf + " && tls", "-T", "fields",
                    "-e", "frame.number")).as("no TLS record in the decrypted file").isEmpty();
            // The phone's new certificate goes to CAPF in clear inside TLS: its DER is in the decrypted bytes only.
            String encrypted = String.join("", tshark(tshark, pcap, "-Y", onCapf, "-T", "fields", "-e", "tcp.payload"));
            String decrypted = String.join("", clear);
            String subject = hex("SEP0011223344D1");
            assertThat(decrypted).contains(subject);
            assertThat(encrypted).doesNotContain(subject);
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
        List<String> sources = tshark(tshark, pcap, "-Y", "tftp.opcode == 1", "-T", "fields", "-e", "ip.src");
        assertThat(sources).as("every phone's RRQs leave from a real address").isNotEmpty().doesNotContain("0.0.0.0");
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
        assertThat(r.err()).isEqualTo("phone-emu: --pcap " + tmp.resolve("file").resolve("boot.pcap") + ": " + tmp.resolve("file")
                + " is a file, not a folder\n");
        // A folder that does not exist is not made: the user named a file, not a place to create.
        Path missing = tmp.resolve("nope").resolve("x.pcap");
        Cli.Result m = Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334455", "--state", tmp.resolve("phone").toString(),
                "--pcap", missing.toString());
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).isEqualTo("phone-emu: --pcap " + missing + ": no such folder " + tmp.resolve("nope") + "\n");
        assertThat(tmp.resolve("nope")).doesNotExist();
    }

    /**
     * The TFTP transfers of a capture, read by tshark: each RRQ's file with the bytes of its DATA packets (a transfer
     * is named by the port its RRQ left from: a server answers from a port of its own), the RRQs' source addresses and
     * the DATA packets' destinations.
     */
    record Transfers(Map<String, Integer> bytes, List<String> rrqSources, List<String> dataDestinations) {
        static Transfers read(Path tshark, Path pcap) throws Exception {
            List<String> lines = tshark(tshark, pcap, "-Y", "tftp", "-T", "fields", "-E", "separator=|",
                    "-e", "udp.srcport", "-e", "udp.dstport", "-e", "tftp.opcode", "-e", "tftp.source_file", "-e", "data.len",
                    "-e", "ip.src", "-e", "ip.dst");
            Map<String, String> fileOfPort = new LinkedHashMap<>();
            Transfers t = new Transfers(new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>());
            for (String l : lines) {
                String[] f = l.split("\\|", -1);
                if (f[2].equals("1")) {
                    fileOfPort.put(f[0], f[3]);
                    t.bytes().put(f[3], 0);
                    t.rrqSources().add(f[5]);
                } else if (f[2].equals("3") && fileOfPort.containsKey(f[1])) {
                    t.bytes().merge(fileOfPort.get(f[1]), f[4].isEmpty() ? 0 : Integer.parseInt(f[4]), Integer::sum);
                    t.dataDestinations().add(f[6]);
                }
            }
            return t;
        }
    }

    static String hex(String ascii) {
        return java.util.HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** The local address the kernel picks to send to {@code server}. */
    static String sourceAddressTowards(java.net.InetAddress server) throws Exception {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            s.connect(server, 69);
            return s.getLocalAddress().getHostAddress();
        }
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
