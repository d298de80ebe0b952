package org.phoneemu.tftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.tftp.packet.TftpAck;
import org.phoneemu.tftp.packet.TftpError;
import org.phoneemu.tftp.packet.TftpErrorCode;
import org.phoneemu.tftp.packet.TftpPacket;
import org.phoneemu.tftp.testing.Await;
import org.phoneemu.tftp.testing.InMemoryTftpServer;
import org.phoneemu.tftp.testing.InMemoryTftpServer.Transfer;
import org.phoneemu.tftp.testing.TestFiles;

/** The client against a server (written here, in memory) that breaks the protocol in one precise way per test. */
class MisbehavingServerTest {
    static final byte[] FILE = TestFiles.content(5 * 512 + 100); // 6 blocks
    static EventLoopGroup serverGroup;
    static EventLoopGroup clientGroup;
    InMemoryTftpServer server;
    TftpClient client;

    @BeforeAll
    static void groups() {
        serverGroup = new NioEventLoopGroup(1);
        clientGroup = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stopGroups() {
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void start() throws Exception {
        server = new InMemoryTftpServer(serverGroup, 1000).put("f.bin", FILE).put("big.bin", TestFiles.content(700_000)).start();
        client = new TftpClient(clientGroup);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TftpResult read(String name, TftpOptions options) throws Exception {
        return client.read(server.address(), name, options).get(2, TimeUnit.MINUTES);
    }

    private Transfer onlyTransfer() {
        assertThat(server.transfers).hasSize(1);
        return server.transfers.get(0);
    }

    private static List<Integer> ackBlocks(Transfer t) {
        return t.received.stream().filter(p -> p instanceof TftpAck).map(p -> ((TftpAck) p).block()).toList();
    }

    @Test
    void duplicateDataIsAckedOncePerCopyAndNothingElseIsSent() throws Exception {
        server.behavior.duplicateData = true;
        assertThat(read("f.bin", TftpOptions.defaults())).isEqualTo(new TftpResult.Received(FILE));
        Transfer t = onlyTransfer();
        Await.until(() -> t.count(TftpAck.class) >= t.dataSent.get(), Duration.ofSeconds(3), "every DATA copy is acknowledged");
        Await.quiet(Duration.ofMillis(200));
        assertThat(t.dataSent.get()).isEqualTo(12);
        // Exactly one ACK per DATA copy received: 1,1,2,2,…,6,6 — never more, and nothing but ACKs.
        assertThat(ackBlocks(t)).containsExactly(1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6);
        assertThat(t.received).allMatch(p -> p instanceof TftpAck);
        assertThat(server.requests.get()).isEqualTo(1);
    }

    @Test
    void packetFromStrayPortGetsError5AndTheTransferGoesOn() throws Exception {
        server.behavior.strayPacketAtBlock = 3;
        assertThat(read("f.bin", TftpOptions.defaults())).isEqualTo(new TftpResult.Received(FILE));
        Transfer t = onlyTransfer();
        Await.until(() -> !t.receivedByStray.isEmpty(), Duration.ofSeconds(3), "the stray port hears back");
        Await.quiet(Duration.ofMillis(100));
        assertThat(t.receivedByStray).singleElement().isInstanceOfSatisfying(TftpError.class,
                e -> assertThat(e.errorCode()).contains(TftpErrorCode.UNKNOWN_TRANSFER_ID));
        // The stray DATA 3 was not taken as block 3: the real server's copy was acknowledged once, as every other.
        assertThat(ackBlocks(t)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void bogusOpcodeFromTheServerEndsWithProtocolErrorAndError4() throws Exception {
        server.behavior.bogusOpcodeAtBlock = 2;
        TftpResult r = read("f.bin", TftpOptions.defaults());
        assertThat(r).isInstanceOfSatisfying(TftpResult.ProtocolError.class, p -> assertThat(p.reason()).contains("opcode 9"));
        Transfer t = onlyTransfer();
        Await.until(() -> t.count(TftpError.class) == 1, Duration.ofSeconds(3), "the server is told");
        assertThat(t.received.stream().filter(p -> p instanceof TftpError).map(p -> ((TftpError) p).code()))
                .containsExactly(TftpErrorCode.ILLEGAL_OPERATION.code());
    }

    @Test
    void serverIgnoringOptionsGivesAPlainTransfer() throws Exception {
        server.behavior.ignoreOptions = true;
        TftpOptions o = TftpOptions.defaults().withBlockSize(1428).withTransferSize(true).withTimeoutOption(3);
        assertThat(read("f.bin", o)).isEqualTo(new TftpResult.Received(FILE));
        assertThat(onlyTransfer().request.options()).containsKeys("blksize", "tsize", "timeout");
    }

    @Test
    void optionsRefusedWithError8AreAskedAgainWithout() throws Exception {
        server.behavior.refuseOptions = true;
        assertThat(read("f.bin", TftpOptions.defaults().withBlockSize(1428))).isEqualTo(new TftpResult.Received(FILE));
        assertThat(server.transfers).hasSize(2);
        assertThat(server.transfers.get(1).request.options()).isEmpty();
    }

    @Test
    void oackWithAnOptionNotAskedForIsRejectedWithError8() throws Exception {
        server.behavior.oackUnrequestedOption = true;
        TftpResult r = read("f.bin", TftpOptions.defaults().withTransferSize(true));
        assertThat(r).isInstanceOfSatisfying(TftpResult.ProtocolError.class, p -> assertThat(p.reason()).contains("windowsize"));
        Transfer t = onlyTransfer();
        Await.until(() -> t.count(TftpError.class) == 1, Duration.ofSeconds(3), "the server is told");
        assertThat(((TftpError) t.received.get(0)).code()).isEqualTo(8);
    }

    @Test
    void tsizeOverTheLimitIsRefusedBeforeAnyData() throws Exception {
        TftpResult r = read("big.bin", TftpOptions.defaults().withTransferSize(true).withMaxSize(550_001));
        assertThat(r).isEqualTo(new TftpResult.TooLarge(550_001));
        Transfer t = onlyTransfer();
        Await.until(() -> t.count(TftpError.class) == 1, Duration.ofSeconds(3), "the server is told");
        assertThat(((TftpError) t.received.get(0)).errorCode()).contains(TftpErrorCode.DISK_FULL);
        assertThat(t.dataSent.get()).isZero();
    }

    @Test
    void sizeLimitWithoutTsizeStopsAtTheBlockThatCrossesIt() throws Exception {
        assertThat(read("f.bin", TftpOptions.defaults().withMaxSize(1024))).isEqualTo(new TftpResult.TooLarge(1024));
        Transfer t = onlyTransfer();
        Await.until(() -> t.count(TftpError.class) == 1, Duration.ofSeconds(3), "the server is told");
        assertThat(ackBlocks(t)).containsExactly(1, 2);
    }

    @Test
    void silentServerTimesOutAfterRetries() throws Exception {
        server.behavior.silent = true;
        TftpResult r = read("f.bin", TftpOptions.defaults().withTimeout(Duration.ofMillis(40)).withRetries(3));
        assertThat(r).isEqualTo(new TftpResult.TimedOut(4));
        Await.quiet(Duration.ofMillis(100));
        assertThat(server.requests.get()).isEqualTo(4);
    }

    @Test
    void aTricklingServerIsCutAtTheDeadlineAndTold() throws Exception {
        // One block each 200 ms always beats the 1 s packet timeout: only the deadline can end this 1,368-block file.
        server.behavior.trickleMillis = 200;
        TftpResult r = read("big.bin", TftpOptions.defaults().withTimeout(Duration.ofSeconds(1)).withDeadline(Duration.ofMillis(1500)));
        assertThat(r).isInstanceOfSatisfying(TftpResult.DeadlineExceeded.class, d -> {
            assertThat(d.deadline()).isEqualTo(Duration.ofMillis(1500));
            assertThat(d.received()).isPositive().isLessThan(700_000);
        });
        Transfer t = onlyTransfer();
        Await.until(() -> t.count(TftpError.class) == 1, Duration.ofSeconds(3), "the server is told");
    }

    @Test
    void lostAcksAreSentAgainByTheTimerOnly() throws Exception {
        server.behavior.ignoreFirstAcks = 1;
        TftpResult r = read("f.bin", TftpOptions.defaults().withTimeout(Duration.ofMillis(50)));
        assertThat(r).isEqualTo(new TftpResult.Received(FILE));
        Transfer t = onlyTransfer();
        Await.until(() -> t.count(TftpAck.class) >= 11, Duration.ofSeconds(3), "the ACKs arrive");
        Await.quiet(Duration.ofMillis(100));
        // The server ignored the first ACK of each block; the client's timer sent it once more. The final ACK is
        // not on a timer (nothing follows it): a lost one is answered when the server repeats the last block.
        assertThat(ackBlocks(t)).containsExactly(1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6);
    }

    @Test
    void repeatedLastBlockIsAcknowledgedAgainWhileDallying() throws Exception {
        server.behavior.repeatLastData = true;
        assertThat(read("f.bin", TftpOptions.defaults())).isEqualTo(new TftpResult.Received(FILE));
        Transfer t = onlyTransfer();
        Await.until(() -> t.count(TftpAck.class) == 7, Duration.ofSeconds(3), "the last block is acknowledged twice");
        assertThat(ackBlocks(t)).endsWith(6, 6);
    }

    @Test
    void oversizedBlockIsAProtocolErrorNotAShortBlock() throws Exception {
        server.behavior.oversizedFirstBlock = true;
        TftpResult r = read("f.bin", TftpOptions.defaults());
        assertThat(r).isInstanceOfSatisfying(TftpResult.ProtocolError.class,
                p -> assertThat(p.reason()).contains("513 bytes"));
    }

    @Test
    void badFilenameIsRefusedToTheCallerBeforeAnySocket() {
        assertThatThrownBy(() -> client.read(server.address(), "", TftpOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests.get()).isZero();
    }

    @Test
    void missingFile() throws Exception {
        assertThat(read("nope.bin", TftpOptions.defaults())).isEqualTo(new TftpResult.FileNotFound());
    }

    @Test
    void blockNumbersWrapFrom65535ToZero() throws Exception {
        byte[] file = TestFiles.content(65_536 * 8 + 3); // 65537 blocks of 8 bytes: ..., 65535, 0, 1
        server.put("wrap.bin", file);
        assertThat(read("wrap.bin", TftpOptions.defaults().withBlockSize(8))).isEqualTo(new TftpResult.Received(file));
        Transfer t = onlyTransfer();
        assertThat(t.wraps.get()).isEqualTo(1);
        assertThat(t.request.options()).containsEntry("blksize", "8");
    }

    @Test
    void clientSendsOnlyAcksAndErrorsAfterTheRequest() throws Exception {
        read("f.bin", TftpOptions.defaults().withBlockSize(1024).withTransferSize(true));
        Transfer t = onlyTransfer();
        Await.quiet(Duration.ofMillis(100));
        List<TftpPacket> got = t.received;
        assertThat(got).allMatch(p -> p instanceof TftpAck);
        assertThat(ackBlocks(t)).containsExactly(0, 1, 2, 3);
    }
}
