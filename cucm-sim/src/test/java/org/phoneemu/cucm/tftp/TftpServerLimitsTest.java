package org.phoneemu.cucm.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;

/**
 * The attack of held transfers: read requests with {@code timeout 255} that never ACK, from one address, must
 * neither hold a slot for the option's time nor take the slots other clients need (docs/LIMITS.md).
 */
class TftpServerLimitsTest {
    private static final byte[] FILE = new byte[3000];

    private MultiThreadIoEventLoopGroup group;
    private TftpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Arrays.fill(FILE, (byte) 'x');
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    private void bind(TftpServer.Options options) throws Exception {
        TftpDirectory files = new TftpDirectory(Map.of("itlfile.tlv", new TftpFile("ITLFile.tlv", FILE, Instant.EPOCH, new byte[0])));
        server = new TftpServer(group, new InetSocketAddress("127.0.0.1", 0), () -> files, options, line -> { });
        port = server.bind().get(2, TimeUnit.MINUTES).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().get(2, TimeUnit.MINUTES);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    static byte[] rrq(String name, String... options) {
        List<String> parts = new ArrayList<>(List.of(name, "octet"));
        parts.addAll(Arrays.asList(options));
        byte[] body = (String.join("\0", parts) + "\0").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[2 + body.length];
        out[1] = 1;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    private void send(DatagramSocket s, byte[] packet) throws IOException {
        s.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port)));
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

    private static String text(DatagramPacket p) {
        return new String(p.getData(), 2, p.getLength() - 2, StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code n} RRQs with {@code timeout 255} from {@code s} and returns the first reply to each one. */
    private List<DatagramPacket> flood(DatagramSocket s, int n) throws IOException {
        List<DatagramPacket> firstReplies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            send(s, rrq("ITLFile.tlv", "timeout", "255"));
        }
        // Each transfer answers from its own port: collect one reply per transfer (retransmissions come from known ports).
        List<Integer> ports = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (firstReplies.size() < n && System.nanoTime() < end) {
            DatagramPacket p = receive(s);
            if (opcode(p) == 5 || !ports.contains(p.getPort())) {
                ports.add(p.getPort());
                firstReplies.add(p);
            }
        }
        return firstReplies;
    }

    @Test
    void oneAddressCannotTakeEverySlotAndOthersAreStillServed() throws Exception {
        bind(TftpServer.Options.defaults().withTransfers(8, 3));
        try (DatagramSocket attacker = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             DatagramSocket attacker2 = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             DatagramSocket phone = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
            attacker.setSoTimeout(10_000);
            attacker2.setSoTimeout(10_000);
            phone.setSoTimeout(10_000);
            List<DatagramPacket> replies = flood(attacker, 8);
            // Three transfers are open for 127.0.0.1 (their first DATA, or OACK); the other five are told the server is busy.
            assertThat(replies.stream().filter(p -> opcode(p) != 5).count()).isEqualTo(3);
            assertThat(replies.stream().filter(p -> opcode(p) == 5).map(TftpServerLimitsTest::text))
                    .hasSize(5).allSatisfy(t -> assertThat(t).contains("Server busy"));
            // Another port of the same address is the same client.
            send(attacker2, rrq("ITLFile.tlv"));
            assertThat(text(receive(attacker2))).contains("Server busy");
            // Another address downloads the file.
            send(phone, rrq("ITLFile.tlv"));
            DatagramPacket data = receive(phone);
            assertThat(opcode(data)).isEqualTo(3);
        }
    }

    @Test
    void aLargeTimeoutOptionIsDeclinedAndAHeldTransferIsAbandoned() throws Exception {
        bind(TftpServer.Options.defaults().withRetransmission(Duration.ofMillis(100), 2).withMaxClientTimeout(Duration.ofSeconds(2)));
        try (DatagramSocket attacker = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            attacker.setSoTimeout(10_000);
            send(attacker, rrq("ITLFile.tlv", "timeout", "255", "tsize", "0"));
            DatagramPacket oack = receive(attacker);
            assertThat(opcode(oack)).isEqualTo(6);
            // RFC 2349: the server may leave the option out; it then keeps its own retransmission timer.
            assertThat(text(oack)).contains("tsize").doesNotContain("timeout");
            assertThat(server.activeTransfers()).isEqualTo(1);
            // Never ACKed: the transfer is given up after its own retransmissions, not after 255 s of each.
            DatagramPacket last;
            do {
                last = receive(attacker);
            } while (opcode(last) == 6);
            assertThat(opcode(last)).isEqualTo(5);
            assertThat(text(last)).contains("Timeout");
        }
        awaitNoTransfer();
    }

    @Test
    void aTransferThatIsKeptAliveIsStillEndedAtItsHoldLimit() throws Exception {
        bind(TftpServer.Options.defaults().withRetransmission(Duration.ofSeconds(5), 5).withMaxHold(Duration.ofMillis(500)));
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            client.setSoTimeout(10_000);
            send(client, rrq("ITLFile.tlv", "blksize", "8"));
            DatagramPacket p = receive(client);
            assertThat(opcode(p)).isEqualTo(6);
            InetSocketAddress transfer = (InetSocketAddress) p.getSocketAddress();
            // Acknowledge the OACK, then re-acknowledge block 0 forever: progress never comes, yet each packet is an answer.
            int acked = 0;
            while (true) {
                byte[] ack = {0, 4, (byte) (acked >> 8), (byte) acked};
                client.send(new DatagramPacket(ack, 4, transfer));
                p = receive(client);
                if (opcode(p) == 5) {
                    break;
                }
                assertThat(opcode(p)).isEqualTo(3);
                acked = ((p.getData()[2] & 0xff) << 8) | (p.getData()[3] & 0xff);
                Thread.sleep(100); // a slow client: 8 bytes every 100 ms would take 37 s for this file
            }
            assertThat(text(p)).contains("Transfer time limit");
        }
        awaitNoTransfer();
    }

    private void awaitNoTransfer() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.activeTransfers() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(server.activeTransfers()).isZero();
    }
}
