package org.phoneemu.tls.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one connect-failure mapping of TVS, HTTPS and CAPF, on real Netty connects over loopback. */
class ConnectFailureTest {
    static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static Throwable connectFails(InetSocketAddress to, Duration timeout) throws Exception {
        ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                    }
                }).connect(to);
        f.await(30, TimeUnit.SECONDS);
        assertThat(f.isDone()).isTrue();
        assertThat(f.isSuccess()).as("the connect to %s succeeded", to).isFalse();
        return f.cause();
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ConnectFailure f = ConnectFailure.of(connectFails(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), Duration.ofSeconds(5)),
                Duration.ofSeconds(5));

        assertThat(f).isEqualTo(new ConnectFailure(ExchangeFailure.CONNECT_REFUSED, "connection refused"));
    }

    @Test
    void aServerWhoseAcceptQueueIsFullGivesNoAnswerWithinTheTimeout() throws Exception {
        // Linux drops a SYN to a listener whose accept queue is full: the connect gets no answer at all.
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket q = new Socket();
                    q.connect(s.getLocalSocketAddress(), 200);
                    queued.add(q);
                }
            } catch (java.net.SocketTimeoutException full) {
                // the queue is full
            }
            Duration timeout = Duration.ofMillis(300);
            ConnectFailure f = ConnectFailure.of(connectFails((InetSocketAddress) s.getLocalSocketAddress(), timeout), timeout);

            assertThat(f).isEqualTo(new ConnectFailure(ExchangeFailure.CONNECT_TIMEOUT, "no answer within 300 ms"));
            for (Socket q : queued) {
                q.close();
            }
        }
    }

    @Test
    void anyOtherFailureIsNamedByItsInnermostCause() {
        ConnectFailure f = ConnectFailure.of(new java.io.IOException("wrapped", new java.net.NoRouteToHostException("No route to host")),
                Duration.ofSeconds(1));

        assertThat(f).isEqualTo(new ConnectFailure(ExchangeFailure.CONNECT_FAILED, "NoRouteToHostException: No route to host"));
    }
}
