package org.phoneemu.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The bootstrap every bounded server starts from (docs/LIMITS.md): a failing accept is guarded ({@link AcceptGuard}); a
 * connection over the caps of {@code slots} is closed as soon as it is accepted; the others get, when {@code tls} is
 * given, a TLS handler from it (read anew per connection, so a regenerated certificate is presented to the next one)
 * that must end its handshake within {@code handshakeTimeout}, then what {@code protocol} adds, then a last handler that
 * ends any exception nobody handled. {@code service} names the server in the lines written to {@code log}.
 */
public final class BoundedServer {
    private BoundedServer() {
    }

    /** @param tls null for a plain TCP server (then {@code handshakeTimeout} is not read) */
    public static ServerBootstrap bootstrap(EventLoopGroup group, ClientSlots slots, String service, Logger log,
                                            Supplier<SslContext> tls, Duration handshakeTimeout, Consumer<ChannelPipeline> protocol) {
        RateLimitedLog refused = new RateLimitedLog(log, service + " connections refused at the cap");
        RateLimitedLog unhandled = new RateLimitedLog(log, service + " connection errors");
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptGuard(service))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!slots.admit(ch, refused, service)) {
                            return;
                        }
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            SslHandler ssl = tls.get().newHandler(ch.alloc());
                            ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
                            p.addLast("tls", ssl);
                        }
                        protocol.accept(p);
                        p.addLast("unhandled", new LastResort(service, unhandled));
                    }
                });
    }
}
