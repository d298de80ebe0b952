package org.phoneemu.cucm.capf;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.phoneemu.capf.wire.CapfMessageDecoder;
import org.phoneemu.capf.wire.CapfMessageEncoder;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.cucm.net.ServerSupport;

/**
 * A node's Certificate Authority Proxy Function: TLS with the cluster's CAPF certificate (the one the ITL's CAPF
 * record names), then one CAPF session per connection performing the device's pending certificate operation.
 * A client certificate is asked for but not required; it matters only for "By Existing Certificate".
 */
public final class CapfServer {
    private final EventLoopGroup group;
    private final InetSocketAddress bindAddress;
    private final Supplier<KeyMaterial> capfKey;
    private final CapfAuthority authority;
    private final Executor worker;
    private final CapfServerOptions options;
    private final Consumer<String> trace;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong sessions = new AtomicLong(new SecureRandom().nextInt(1 << 20));
    private volatile KeyMaterial contextKey;
    private volatile SslContext context;
    private volatile Channel channel;

    /**
     * @param capfKey the cluster's current CAPF key and certificate (read per connection)
     * @param worker where LSCs are signed and the cluster state is written
     * @param trace receives one line per session step
     */
    public CapfServer(EventLoopGroup group, InetSocketAddress bindAddress, Supplier<KeyMaterial> capfKey, CapfAuthority authority,
                      Executor worker, CapfServerOptions options, Consumer<String> trace) {
        this.group = group;
        this.bindAddress = bindAddress;
        this.capfKey = capfKey;
        this.authority = authority;
        this.worker = worker;
        this.options = options;
        this.trace = trace;
    }

    public CompletableFuture<InetSocketAddress> bind() {
        ChannelFuture f = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.incrementAndGet() > options.maxConnections()) {
                            open.decrementAndGet();
                            trace.accept("CAPF: refusing a connection from " + ch.remoteAddress() + ": "
                                    + options.maxConnections() + " sessions already open");
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(x -> open.decrementAndGet());
                        KeyMaterial key = capfKey.get();
                        SslHandler ssl = tls(key).newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(options.handshakeTimeout().toMillis());
                        ch.pipeline().addLast("tls", ssl);
                        ch.pipeline().addLast("decoder", new CapfMessageDecoder(options.maxMessageLength()));
                        ch.pipeline().addLast("encoder", CapfMessageEncoder.INSTANCE);
                        ch.pipeline().addLast("session", new CapfServerSession(sessions.incrementAndGet() & 0xffffffffL,
                                key.certificate(), authority, worker, options, trace));
                    }
                })
                .bind(bindAddress);
        channel = f.channel();
        return ServerSupport.bound(f, "CAPF", bindAddress);
    }

    /** Sessions open now. */
    public int openSessions() {
        return open.get();
    }

    private SslContext tls(KeyMaterial key) {
        if (key != contextKey) {
            try {
                context = SslContextBuilder.forServer(key.privateKey(), key.certificate())
                        .clientAuth(ClientAuth.OPTIONAL)
                        // The session judges a client certificate itself (existing-certificate mode) and ignores
                        // it otherwise: any chain passes the handshake.
                        .trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .build();
                contextKey = key;
            } catch (SSLException e) {
                throw new IllegalStateException("cannot make the CAPF TLS context: " + e.getMessage(), e);
            }
        }
        return context;
    }

    public CompletableFuture<Void> close() {
        return ServerSupport.closed(channel);
    }
}
