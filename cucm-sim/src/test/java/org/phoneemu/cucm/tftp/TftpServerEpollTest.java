package org.phoneemu.cucm.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;

/**
 * The TFTP server on an epoll group (what the fleet gives it on Linux): the file arrives whole, and a block whose
 * ACK does not come is sent again after the timeout although earlier ACKs moved the timer (it is re-armed, not
 * replaced, per block), then the transfer is given up.
 */
class TftpServerEpollTest {
    private static final byte[] FILE = new byte[1300];

    private MultiThreadIoEventLoopGroup group;
    private TftpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        // On CI the native transport must load (the fleet depends on it for its figures); elsewhere it may be missing.
        if (System.getenv("CI") == null) {
            assumeTrue(Epoll.isAvailable(), "no native epoll here");
        }
        assertThat(Epoll.isAvailable()).as("native epoll: %s", Epoll.unavailabilityCause()).isTrue();
        for (int i = 0; i < FILE.length; i++) {
            FILE[i] = (byte) i;
        }
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        TftpDirectory files = new TftpDirectory(Map.of("itlfile.tlv", new TftpFile("ITLFile.tlv", FILE, Instant.EPOCH, new byte[0])));
        server = new TftpServer(group, new InetSocketAddress("127.0.0.1", 0), () -> files,
                TftpServer.Options.defaults().withRetransmission(Duration.ofMillis(200), 2), line -> { });
        port = server.bind().get(10, TimeUnit.SECONDS).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().get(10, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesAWholeFile() throws Exception {
        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            phone.setSoTimeout(10_000);
            send(phone, TftpServerLimitsTest.rrq("ITLFile.tlv"), port);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (int block = 1; ; block++) {
                DatagramPacket data = receive(phone);
                assertThat(opcode(data)).isEqualTo(3);
                assertThat(blockNumber(data)).isEqualTo(block);
                got.write(data.getData(), 4, data.getLength() - 4);
                send(phone, ack(block), data.getPort());
                if (data.getLength() - 4 < 512) {
                    break;
                }
            }
            assertThat(got.toByteArray()).isEqualTo(FILE);
        }
    }

    @Test
    void aBlockWithoutItsAckIsSentAgainThenTheTransferIsAbandoned() throws Exception {
        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            phone.setSoTimeout(10_000);
            send(phone, TftpServerLimitsTest.rrq("ITLFile.tlv"), port);
            DatagramPacket first = receive(phone);
            assertThat(blockNumber(first)).isEqualTo(1);
            send(phone, ack(1), first.getPort());
            // Block 2 is never acknowledged: it comes again (twice, the retransmission limit), then an error.
            for (int i = 0; i < 3; i++) {
                DatagramPacket again = receive(phone);
                assertThat(opcode(again)).isEqualTo(3);
                assertThat(blockNumber(again)).isEqualTo(2);
            }
            DatagramPacket error = receive(phone);
            assertThat(opcode(error)).isEqualTo(5);
        }
    }

    private static void send(DatagramSocket s, byte[] packet, int to) throws Exception {
        s.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), to)));
    }

    private static DatagramPacket receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return p;
    }

    private static byte[] ack(int block) {
        return new byte[] {0, 4, (byte) (block >> 8), (byte) block};
    }

    private static int opcode(DatagramPacket p) {
        return ((p.getData()[0] & 0xff) << 8) | (p.getData()[1] & 0xff);
    }

    private static int blockNumber(DatagramPacket p) {
        return ((p.getData()[2] & 0xff) << 8) | (p.getData()[3] & 0xff);
    }
}
