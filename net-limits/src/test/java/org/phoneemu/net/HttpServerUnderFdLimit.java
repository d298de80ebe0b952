package org.phoneemu.net;

import ch.qos.logback.classic.Level;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child process of {@link AcceptGuardTest}: a {@link BoundedHttp} server whose caps are far above the process's
 * file descriptor limit (set by the parent with {@code ulimit -n}), so that accepting fails with "Too many open
 * files". Prints {@code PORT n}, answers {@code ok}, and when its standard input closes prints
 * {@code SUPPRESSED n} (the accept failures counted but not logged) and exits. Logs WARN and above; the accept
 * failures' log is on a clock that never moves, so it logs the first failure only.
 */
public final class HttpServerUnderFdLimit {
    private HttpServerUnderFdLimit() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Duration longTime = Duration.ofMinutes(5);
        HttpLimits limits = HttpLimits.web().withTimeouts(longTime, longTime, longTime).withConnections(100_000, 100_000);
        BoundedHttp http = BoundedHttp.on(group, limits, "web", p -> p.addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
                DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 3).set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }));
        // A clock that never moves: every failure after the first falls in the same window, however long the test takes.
        RateLimitedLog failures = new RateLimitedLog(LoggerFactory.getLogger(AcceptGuard.class), "web accept failures",
                Duration.ofSeconds(10), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        Channel ch = http.bootstrap().handler(new AcceptGuard("web", failures)).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        System.out.println("PORT " + ((InetSocketAddress) ch.localAddress()).getPort());
        System.out.flush();
        while (System.in.read() != -1) {
            // until the parent closes our input
        }
        System.out.println("SUPPRESSED " + failures.suppressed());
        System.out.flush();
        ch.close().sync();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
}
