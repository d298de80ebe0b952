package org.phoneemu.cucm.tvs;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.phoneemu.cucm.net.ServerSupport;
import org.phoneemu.tvs.frame.TvsFrameDecoder;
import org.phoneemu.tvs.frame.TvsFrameEncoder;

/**
 * A node's Trust Verification Service: TLS with the node's TVS certificate, then VERIFY and QUERY requests
 * answered from the cluster's {@link CertificateStore}. Each new connection takes the current certificate and
 * store, so a regeneration is visible to the next phone that connects.
 */
public final class TvsServer {
    /** A connection that sends nothing for this long is closed. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final EventLoopGroup group;
    private final InetSocketAddress bindAddress;
    private final Supplier<SslContext> tls;
    private final Supplier<CertificateStore> store;
    private final Supplier<Duration> ttl;
    private final Consumer<String> trace;
    private volatile Channel channel;

    /**
     * @param tls the TLS context with the node's current TVS certificate
     * @param ttl the time-to-live given with a valid verdict
     * @param trace receives lines in the words of CUCM's TVS trace
     */
    public TvsServer(EventLoopGroup group, InetSocketAddress bindAddress, Supplier<SslContext> tls,
                     Supplier<CertificateStore> store, Supplier<Duration> ttl, Consumer<String> trace) {
        this.group = group;
        this.bindAddress = bindAddress;
        this.tls = tls;
        this.store = store;
        this.ttl = ttl;
        this.trace = trace;
    }

    public CompletableFuture<InetSocketAddress> bind() {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.get().newHandler(ch.alloc()));
                        ch.pipeline().addLast("idle", new ReadTimeoutHandler(IDLE_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
                        ch.pipeline().addLast("decoder", new TvsFrameDecoder());
                        ch.pipeline().addLast("encoder", TvsFrameEncoder.INSTANCE);
                        ch.pipeline().addLast("handler", new TvsRequestHandler(store, ttl, trace));
                    }
                });
        var f = b.bind(bindAddress);
        channel = f.channel();
        return ServerSupport.bound(f, "TVS", bindAddress);
    }

    public CompletableFuture<Void> close() {
        return ServerSupport.closed(channel);
    }
}
