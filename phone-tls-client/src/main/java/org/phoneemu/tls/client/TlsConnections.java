package org.phoneemu.tls.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The phone's TLS client connections (TVS, the HTTPS check, CAPF) have one shape: TCP with a connect deadline and no
 * Nagle delay, the TLS handler named {@code tls} with a handshake deadline, then the protocol's handlers. The whole
 * pipeline is built before the connect, so a capture tap added last sees the TLS handler.
 */
public final class TlsConnections {
    /** The name of the TLS handler in every such pipeline. */
    public static final String TLS = "tls";

    private TlsConnections() {
    }

    /**
     * @param peerHost  the server's host as TLS names it (SNI, session cache)
     * @param beforeTls handlers that see the connection before TLS (may add none)
     * @param afterTls  the protocol's handlers, added after the TLS handler
     */
    public static Bootstrap bootstrap(EventLoopGroup group, Duration connectTimeout, Duration handshakeTimeout, SslContext tls,
                                      String peerHost, int peerPort, Consumer<ChannelPipeline> beforeTls,
                                      Consumer<SocketChannel> afterTls) {
        return bootstrap(group, connectTimeout, handshakeTimeout, alloc -> tls.newHandler(alloc, peerHost, peerPort), beforeTls, afterTls);
    }

    /** As above, each connection's TLS handler made by {@code tls} (e.g. {@link ClientTls#handler}: one context for many phones). */
    public static Bootstrap bootstrap(EventLoopGroup group, Duration connectTimeout, Duration handshakeTimeout,
                                      java.util.function.Function<io.netty.buffer.ByteBufAllocator, SslHandler> tls,
                                      Consumer<ChannelPipeline> beforeTls, Consumer<SocketChannel> afterTls) {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.apply(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
                        beforeTls.accept(ch.pipeline());
                        ch.pipeline().addLast(TLS, ssl);
                        afterTls.accept(ch);
                    }
                });
    }
}
