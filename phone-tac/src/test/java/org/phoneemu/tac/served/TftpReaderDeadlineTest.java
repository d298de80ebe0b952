package org.phoneemu.tac.served;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.tftp.TftpServer;

/**
 * The whole read of a live cluster ends at its overall deadline (5 minutes), whatever each file does. The clock is
 * injected and jumps 61 s at each look, so the test waits on the server's answers, never on the deadline itself.
 */
class TftpReaderDeadlineTest {
    /** An instant source that moves {@code step} further each time it is read. */
    static InstantSource jumping(Duration step) {
        Instant start = Instant.parse("2026-01-01T09:00:00Z");
        AtomicInteger reads = new AtomicInteger();
        return () -> start.plus(step.multipliedBy(reads.getAndIncrement()));
    }

    @Test
    void theReadStopsAtTheOverallDeadlineAndSaysWhereItStopped() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        TftpServer server = new TftpServer(group, new InetSocketAddress("127.0.0.1", 0), () -> TftpDirectory.EMPTY,
                TftpServer.Options.defaults(), line -> { });
        try {
            InetSocketAddress address = server.bind().get(30, TimeUnit.SECONDS);
            String at = "127.0.0.1:" + address.getPort();
            List<Device> phones = List.of(new Device("001122334455", "7970"));
            // Each file is answered at once ("file not found"); the clock says 61 s passed: after the fourth file the
            // five minutes are over, and the fifth (the device's ITL) is not asked for.
            TftpReader reader = new TftpReader(Duration.ofSeconds(2), 3, TftpReader.FILE_DEADLINE, TftpReader.OVERALL_DEADLINE,
                    jumping(Duration.ofSeconds(61)));
            assertThatThrownBy(() -> reader.read(List.of(address), phones)).isInstanceOf(UnreachableClusterException.class)
                    .hasMessage("the TFTP server " + at + " is too slow: the files were not read within 300 s (stopped before ITLSEP001122334455.tlv)");

            // With time to spare, the same read ends normally: every file was asked for and none is served.
            ServedCluster served = new TftpReader(Duration.ofSeconds(2), 3, TftpReader.FILE_DEADLINE, TftpReader.OVERALL_DEADLINE,
                    jumping(Duration.ofSeconds(1))).read(List.of(address), phones);
            assertThat(served.nodes()).hasSize(1);
        } finally {
            server.close().get(30, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
