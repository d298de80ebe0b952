package org.phoneemu.cucm.capf.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.phoneemu.capf.wire.CapfMessageDecoder;
import org.phoneemu.capf.wire.CapfMessageEncoder;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.cucm.capf.CapfServerOptions;
import org.phoneemu.cucm.net.internal.ClientJudgedTls;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.net.internal.ServerSupport;
import org.phoneemu.net.ClientSlots;

/**
 * A node's Certificate Authority Proxy Function: TLS with the cluster's CAPF certificate (the one the ITL's CAPF
 * record names), then one CAPF session per connection performing the device's pending certificate operation.
 * A client certificate is asked for but not required; it matters only for "By Existing Certificate".
 */
public final class CapfServer {
    private final EventLoopGroup group;
    private final InetSocketAddress bindAddress;
    private final ClientJudgedTls tls;
    private final CapfAuthority authority;
    private final Executor worker;
    private final CapfServerOptions options;
    private final Consumer<String> trace;
    private final ClientSlots slots;
    private final AtomicLong sessions = new AtomicLong(new SecureRandom().nextInt(1 << 20));
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
        // Phones prove themselves inside the CAPF session (SIGNED_DATA), not in TLS.
        this.tls = new ClientJudgedTls(capfKey, "CAPF");
        this.authority = authority;
        this.worker = worker;
        this.options = options;
        this.trace = trace;
        this.slots = new ClientSlots(options.maxConnections(), options.maxConnectionsPerClient());
    }

    public CompletableFuture<InetSocketAddress> bind() {
        // The session keeps its own protocol deadlines (it ends a late phone with a CAPF TIMEOUT); the shared request
        // deadline is a backstop set past the whole session's.
        ConnectionLimits limits = new ConnectionLimits(options.handshakeTimeout(), options.sessionTimeout().plusSeconds(1),
                options.maxConnections(), options.maxConnectionsPerClient());
        ChannelFuture f = ServerSupport.bindTls(group, bindAddress, tls::current, limits, slots, "CAPF",
                new ServerSupport.TlsProtocol() {
                    @Override
                    public void addHandlers(ChannelPipeline p) {
                        p.addLast("decoder", new CapfMessageDecoder(options.maxMessageLength()));
                        p.addLast("encoder", CapfMessageEncoder.INSTANCE);
                        p.addLast("session", new CapfServerSession(sessions.incrementAndGet() & 0xffffffffL,
                                authority, worker, options, trace));
                    }

                    @Override
                    public void requestDeadlineMissed(ChannelHandlerContext ctx) {
                        trace.accept("CAPF: closing a connection from " + ctx.channel().remoteAddress() + ": no message within "
                                + limits.requestTimeout().toMillis() + " ms");
                    }
                });
        channel = f.channel();
        return ServerSupport.bound(f, "CAPF", bindAddress);
    }

    /** Sessions open now. */
    public int openSessions() {
        return slots.inUse();
    }

    public CompletableFuture<Void> close() {
        return ServerSupport.closed(channel);
    }
}
