package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cucm.files.TftpFile;

/** The TFTP service against curl's TFTP client and against hand-made datagrams. */
class TftpServerTest {
    @TempDir
    static Path dir;
    static Cluster cluster;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.build(TestClusters.twoNodes(), dir.resolve("state"), TestClusters.clock());
        cluster.start().get();
        port = cluster.node("pub").tftpPort();
        assertThat(port).isPositive();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ExternalTools.Result curl(String file, Path out, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "20"));
        cmd.addAll(Arrays.asList(extra));
        cmd.addAll(List.of("tftp://127.0.0.1:" + port + "/" + file, "-o", out.toString()));
        return ExternalTools.run(cmd, new byte[0], 30);
    }

    @Test
    void curlDownloadsEveryFileByteForByte() throws Exception {
        ExternalTools.require("curl");
        for (TftpFile f : cluster.files("pub").files()) {
            Path out = dir.resolve("dl-" + f.name());
            ExternalTools.Result r = curl(f.name(), out);
            assertThat(r.exitCode()).as(f.name() + ": " + r.output()).isZero();
            assertThat(out).as(f.name()).hasBinaryContent(f.bytes());
        }
        // Option negotiation (blksize, tsize) gives the same bytes.
        Path out = dir.resolve("blk.tlv");
        assertThat(curl("ITLFile.tlv", out, "--tftp-blksize", "1024").exitCode()).isZero();
        assertThat(out).hasBinaryContent(cluster.file("pub", "ITLFile.tlv").orElseThrow());
        // Unknown file: TFTP error 1, which curl reports as "file not found" (exit 68).
        assertThat(curl("SEPFFFFFFFFFFFF.cnf.xml", dir.resolve("none")).exitCode()).isEqualTo(68);
        // The TFTP service's trace file in the cluster's state folder records each request.
        List<String> traced = java.nio.file.Files.readAllLines(cluster.traceFile("pub", ClusterService.TFTP));
        assertThat(traced).anySatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| debug RRQ ITLFile.tlv from 127.0.0.1:.*"))
                .anySatisfy(l -> assertThat(l).contains("RRQ SEPFFFFFFFFFFFF.cnf.xml from 127.0.0.1:").endsWith(": File not found"));
    }

    @Test
    void manyTransfersAtOnce() throws Exception {
        ExternalTools.require("curl");
        byte[] itl = cluster.file("pub", "ITLFile.tlv").orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<ExternalTools.Result>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                Path out = dir.resolve("par-" + i);
                results.add(pool.submit(() -> curl("ITLFile.tlv", out, "--tftp-blksize", "512")));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get().exitCode()).isZero();
                assertThat(dir.resolve("par-" + i)).hasBinaryContent(itl);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- raw datagrams -------------------------------------------------------------------------------------

    private static byte[] rrq(String name, String mode, String... options) {
        List<String> parts = new ArrayList<>(List.of(name, mode));
        parts.addAll(Arrays.asList(options));
        byte[] body = (String.join("\0", parts) + "\0").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[2 + body.length];
        out[1] = 1;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    private static DatagramPacket exchange(DatagramSocket s, byte[] request) throws IOException {
        s.send(new DatagramPacket(request, request.length, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port)));
        return receive(s);
    }

    private static DatagramPacket receive(DatagramSocket s) throws IOException {
        byte[] buf = new byte[70_000];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return p;
    }

    private static int opcode(DatagramPacket p) {
        return ((p.getData()[0] & 0xff) << 8) | (p.getData()[1] & 0xff);
    }

    private static int u16(DatagramPacket p, int at) {
        return ((p.getData()[at] & 0xff) << 8) | (p.getData()[at + 1] & 0xff);
    }

    @Test
    void refusesWritesPathsAndMalformedDatagramsAndKeepsServing() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            s.setSoTimeout(5000);
            byte[] wrq = rrq("ITLFile.tlv", "octet");
            wrq[1] = 2;
            DatagramPacket r = exchange(s, wrq);
            assertThat(opcode(r)).isEqualTo(5);
            assertThat(u16(r, 2)).isEqualTo(2);

            for (String bad : List.of("../ITLFile.tlv", "/etc/passwd", "a\\b", "..")) {
                r = exchange(s, rrq(bad, "octet"));
                assertThat(opcode(r)).as(bad).isEqualTo(5);
                assertThat(u16(r, 2)).as(bad).isEqualTo(2);
            }
            r = exchange(s, rrq("nothere.tlv", "octet"));
            assertThat(u16(r, 2)).isEqualTo(1);

            r = exchange(s, new byte[] {0});
            assertThat(opcode(r)).isEqualTo(5);
            assertThat(u16(r, 2)).isEqualTo(4);
            r = exchange(s, new byte[] {0, 9, 1, 2, 3});
            assertThat(u16(r, 2)).isEqualTo(4);
            r = exchange(s, Arrays.copyOf(rrq("ITLFile.tlv", "octet"), 8));
            assertThat(u16(r, 2)).isEqualTo(4);
            r = exchange(s, rrq("ITLFile.tlv", "octet", "blksize", "99999999999999999999"));
            assertThat(u16(r, 2)).isEqualTo(8);
            r = exchange(s, rrq("ITLFile.tlv", "octet", "timeout", "100000"));
            assertThat(u16(r, 2)).isEqualTo(8);

            // A stray ACK on the request port is not a transfer.
            r = exchange(s, new byte[] {0, 4, 0, 1});
            assertThat(u16(r, 2)).isEqualTo(5);
        }
        byte[] itl = cluster.file("pub", "ITLFile.tlv").orElseThrow();
        assertThat(download("ITLFile.tlv", "octet")).isEqualTo(itl);
    }

    @Test
    void aFileNameWithALineBreakCannotForgeATraceLine() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            s.setSoTimeout(5000);
            DatagramPacket r = exchange(s, rrq("nothere\r\nRRQ forged.tlv", "octet"));
            assertThat(u16(r, 2)).isEqualTo(1);
        }
        Path file = cluster.traceFile("pub", ClusterService.TFTP);
        org.phoneemu.net.LoopbackClient.waitFor(() -> {
            try {
                return java.nio.file.Files.readString(file).contains("forged.tlv from");
            } catch (IOException e) {
                return false;
            }
        }, "the request traced");
        List<String> traced = java.nio.file.Files.readAllLines(file);
        assertThat(traced).allSatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| debug .*"))
                .anySatisfy(l -> assertThat(l).contains("RRQ nothere\\x0d\\x0aRRQ forged.tlv from 127.0.0.1:").endsWith(": File not found"));
    }

    /** A lock-step client: RRQ with blksize/tsize, ACK every block. */
    private static byte[] download(String name, String mode) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            s.setSoTimeout(5000);
            DatagramPacket p = exchange(s, rrq(name, mode, "blksize", "700", "tsize", "0"));
            assertThat(opcode(p)).isEqualTo(6);
            String oack = new String(p.getData(), 2, p.getLength() - 2, StandardCharsets.US_ASCII);
            assertThat(oack).contains("blksize\u0000700\u0000", "tsize\u0000");
            InetSocketAddress server = (InetSocketAddress) p.getSocketAddress();
            assertThat(server.getPort()).isNotEqualTo(port);
            java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
            int expect = 1;
            s.send(new DatagramPacket(new byte[] {0, 4, 0, 0}, 4, server));
            while (true) {
                p = receive(s);
                assertThat(opcode(p)).isEqualTo(3);
                assertThat(u16(p, 2)).isEqualTo(expect);
                data.write(p.getData(), 4, p.getLength() - 4);
                s.send(new DatagramPacket(new byte[] {0, 4, (byte) (expect >> 8), (byte) expect}, 4, server));
                if (p.getLength() - 4 < 700) {
                    return data.toByteArray();
                }
                expect++;
            }
        }
    }

    @Test
    void retransmitsOnTimeoutAndAnswersStrangersWithError5() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            s.setSoTimeout(5000);
            stranger.setSoTimeout(5000);
            DatagramPacket first = exchange(s, rrq("ITLFile.tlv", "octet", "timeout", "1"));
            assertThat(opcode(first)).isEqualTo(6);
            InetSocketAddress server = (InetSocketAddress) first.getSocketAddress();
            byte[] firstBytes = Arrays.copyOf(first.getData(), first.getLength());
            // No ACK: the OACK comes again after the 1-second timeout.
            DatagramPacket again = receive(s);
            assertThat(Arrays.copyOf(again.getData(), again.getLength())).isEqualTo(firstBytes);
            // Someone else writing to the transfer's port gets error 5; the transfer goes on.
            stranger.send(new DatagramPacket(new byte[] {0, 4, 0, 0}, 4, server));
            DatagramPacket err = receive(stranger);
            assertThat(opcode(err)).isEqualTo(5);
            assertThat(u16(err, 2)).isEqualTo(5);
            s.send(new DatagramPacket(new byte[] {0, 4, 0, 0}, 4, server));
            DatagramPacket data = receive(s);
            assertThat(opcode(data)).isEqualTo(3);
            assertThat(u16(data, 2)).isEqualTo(1);
            // Abort politely.
            byte[] abort = {0, 5, 0, 0, 'b', 'y', 'e', 0};
            s.send(new DatagramPacket(abort, abort.length, server));
            s.setSoTimeout(1500);
            try {
                DatagramPacket late = receive(s);
                assertThat(opcode(late)).as("after the client's error only a retransmission already in flight may come").isEqualTo(3);
            } catch (SocketTimeoutException expected) {
                // the transfer is over
            }
        }
    }

    @Test
    void netasciiAndFilesAreCaseInsensitive() throws Exception {
        byte[] xml = cluster.file("pub", "SEP001122334455.cnf.xml").orElseThrow();
        byte[] got = download("sep001122334455.CNF.XML", "netascii");
        assertThat(new String(got, StandardCharsets.UTF_8).replace("\r\n", "\n")).isEqualTo(new String(xml, StandardCharsets.UTF_8));
        assertThat(Files.exists(dir)).isTrue();
    }
}
