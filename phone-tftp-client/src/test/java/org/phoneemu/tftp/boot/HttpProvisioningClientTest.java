package org.phoneemu.tftp.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.tftp.client.TftpResult;

/** The 6970 client's limits against small loopback servers: the size cap, the deadline over a slow body, no redirects. */
class HttpProvisioningClientTest {
    static EventLoopGroup group;
    static HttpProvisioningClient client;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(1);
        client = new HttpProvisioningClient(group, ch -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    /** A server that answers each connection's first bytes with {@code answer}; counts the connections it accepts. */
    static Channel server(AtomicInteger accepted, BiConsumer<ChannelHandlerContext, Object> answer) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                answer.accept(ctx, msg);
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    static HttpRead get(Channel server, long maxSize, Duration deadline) throws Exception {
        return client.get((InetSocketAddress) server.localAddress(), "SEP001122334455.cnf.xml", maxSize, deadline).get(1, TimeUnit.MINUTES);
    }

    @Test
    void aBodyOverTheCapIsTooLarge() throws Exception {
        Channel s = server(new AtomicInteger(), (ctx, m) -> ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(2000))));
        try {
            assertThat(get(s, 1000, Duration.ofSeconds(30))).isEqualTo(new HttpRead.Answered(new TftpResult.TooLarge(1000)));
            assertThat(get(s, 2000, Duration.ofSeconds(30))).isInstanceOfSatisfying(HttpRead.Answered.class,
                    a -> assertThat(a.result()).isInstanceOf(TftpResult.Received.class));
        } finally {
            s.close().syncUninterruptibly();
        }
    }

    @Test
    void aSlowEndlessBodyIsCutAtTheDeadline() throws Exception {
        Channel s = server(new AtomicInteger(), (ctx, m) -> {
            ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            // One small chunk every 50 ms, never a last one: an idle timer would never fire.
            var drip = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(ascii("1\r\nx\r\n")), 0, 50, TimeUnit.MILLISECONDS);
            ctx.channel().closeFuture().addListener(f -> drip.cancel(false));
        });
        try {
            assertThat(get(s, 1_000_000, Duration.ofSeconds(1))).isEqualTo(new HttpRead.Failed("not received within 1 s"));
        } finally {
            s.close().syncUninterruptibly();
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        AtomicInteger elsewhere = new AtomicInteger();
        Channel target = server(elsewhere, (ctx, m) -> ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx")));
        int port = ((InetSocketAddress) target.localAddress()).getPort();
        Channel s = server(new AtomicInteger(), (ctx, m) -> ctx.writeAndFlush(ascii("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:" + port
                + "/SEP001122334455.cnf.xml\r\nContent-Length: 0\r\n\r\n")));
        try {
            assertThat(get(s, 1000, Duration.ofSeconds(30))).isEqualTo(new HttpRead.Failed("HTTP status 302"));
            assertThat(elsewhere).hasValue(0);
        } finally {
            s.close().syncUninterruptibly();
            target.close().syncUninterruptibly();
        }
    }
}
