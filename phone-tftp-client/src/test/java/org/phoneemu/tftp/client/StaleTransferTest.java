package org.phoneemu.tftp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server transfer that outlived its client (the client gave up; the server started late or goes on retransmitting)
 * sends to a port the kernel may give to the next transfer. Such a packet must never become that transfer's
 * server: a fleet phone once installed "an ITL" that was another file and ended locked.
 */
class StaleTransferTest {
    private EventLoopGroup group;
    private DatagramSocket requests;
    private DatagramSocket transfer;
    private DatagramSocket stale;

    @BeforeEach
    void start() throws Exception {
        group = new NioEventLoopGroup(1);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        requests = new DatagramSocket(0, lo);
        transfer = new DatagramSocket(0, lo);
        stale = new DatagramSocket(0, lo);
        for (DatagramSocket s : new DatagramSocket[] {requests, transfer, stale}) {
            s.setSoTimeout(10_000);
        }
    }

    @AfterEach
    void stop() {
        requests.close();
        transfer.close();
        stale.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return p;
    }

    private static void send(DatagramSocket from, byte[] packet, SocketAddress to) throws Exception {
        from.send(new DatagramPacket(packet, packet.length, to));
    }

    private static byte[] data(int block, int length, byte fill) {
        byte[] p = new byte[4 + length];
        p[1] = 3;
        p[2] = (byte) (block >> 8);
        p[3] = (byte) block;
        Arrays.fill(p, 4, p.length, fill);
        return p;
    }

    private static int opcode(DatagramPacket p) {
        return ((p.getData()[0] & 0xff) << 8) | (p.getData()[1] & 0xff);
    }

    @Test
    void aLaterBlockOfAnotherTransferBeforeTheAnswerIsTurnedAwayAndTheFileComesWhole() throws Exception {
        TftpClient client = new TftpClient(group);
        CompletableFuture<TftpResult> read = client.read((InetSocketAddress) requests.getLocalSocketAddress(), "ITLSEP001122334455.tlv",
                TftpOptions.defaults().withTimeout(Duration.ofSeconds(5)));
        SocketAddress phone = receive(requests).getSocketAddress();

        // Block 3 of a transfer that once went to this port, from the server's address: not an answer to this RRQ.
        send(stale, data(3, 512, (byte) 'x'), phone);
        DatagramPacket refused = receive(stale);
        assertThat(opcode(refused)).isEqualTo(5);
        assertThat(refused.getData()[3]).isEqualTo((byte) 5); // unknown transfer ID

        send(transfer, data(1, 100, (byte) 'i'), phone);
        byte[] expected = new byte[100];
        Arrays.fill(expected, (byte) 'i');
        assertThat(read.get(20, TimeUnit.SECONDS)).isEqualTo(new TftpResult.Received(expected));
    }

    @Test
    void aGivenUpTransferHoldsItsPortAndTellsALateAnswerToStop() throws Exception {
        TftpClient client = new TftpClient(group);
        CompletableFuture<TftpResult> read = client.read((InetSocketAddress) requests.getLocalSocketAddress(), "SEP001122334455.cnf.xml.sgn",
                TftpOptions.defaults().withTimeout(Duration.ofSeconds(1)).withRetries(1));
        SocketAddress phone = receive(requests).getSocketAddress();
        assertThat(read.get(20, TimeUnit.SECONDS)).isInstanceOf(TftpResult.TimedOut.class);

        // The server gets to the request only now: its first block reaches a port that still belongs to the phone,
        // which tells it to stop (closed at once, the port could already be another transfer's).
        send(transfer, data(1, 512, (byte) 'c'), phone);
        DatagramPacket answer = receive(transfer);
        assertThat(opcode(answer)).isEqualTo(5);
    }
}
