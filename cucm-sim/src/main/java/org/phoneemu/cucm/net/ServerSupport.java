package org.phoneemu.cucm.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** The servers' shared plumbing: TLS server bootstrap, and bridges between Netty futures and {@link CompletableFuture}. */
public final class ServerSupport {
    private ServerSupport() {
    }

    /** Completes with the bound address, or fails with a message naming what could not bind where. */
    public static CompletableFuture<InetSocketAddress> bound(ChannelFuture f, String what, InetSocketAddress where) {
        CompletableFuture<InetSocketAddress> out = new CompletableFuture<>();
        f.addListener((ChannelFuture cf) -> {
            if (cf.isSuccess()) {
                out.complete((InetSocketAddress) cf.channel().localAddress());
            } else {
                out.completeExceptionally(new java.io.IOException("cannot bind " + what + " to "
                        + where.getAddress().getHostAddress() + ":" + where.getPort() + ": " + cf.cause().getMessage(), cf.cause()));
            }
        });
        return out;
    }

    /**
     * Binds a TLS server: each connection gets the TLS handler from {@code tls} (read anew, so a regenerated
     * certificate is presented to the next connection), a read timeout, then what {@code protocol} adds.
     */
    public static ChannelFuture bindTls(EventLoopGroup group, InetSocketAddress where, Supplier<SslContext> tls,
                                        Duration idleTimeout, Consumer<ChannelPipeline> protocol) {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.get().newHandler(ch.alloc()));
                        ch.pipeline().addLast("idle", new ReadTimeoutHandler(idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
                        protocol.accept(ch.pipeline());
                    }
                })
                .bind(where);
    }

    public static CompletableFuture<Void> closed(Channel ch) {
        CompletableFuture<Void> out = new CompletableFuture<>();
        if (ch == null) {
            out.complete(null);
            return out;
        }
        ch.close().addListener((Future<? super Void> f) -> out.complete(null));
        return out;
    }
}
