package org.phoneemu.cucm.net.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.net.BoundedServer;
import org.phoneemu.net.BoundedHttp;
import org.phoneemu.net.ClientSlots;
import org.phoneemu.net.HttpLimits;
import org.phoneemu.net.RequestDeadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The servers' shared plumbing: TLS server bootstrap with its limits, HTTPS bounded like HTTP, and bridges between Netty futures and {@link CompletableFuture}. */
public final class ServerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSupport.class);

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

    /** What a TLS service adds to each connection's pipeline, and how it reports a missed request deadline. */
    public interface TlsProtocol {
        /** Adds the codecs and, last, the handler that receives whole requests. */
        void addHandlers(ChannelPipeline pipeline);

        /** Called before a connection is closed for not sending a whole request in time. */
        default void requestDeadlineMissed(ChannelHandlerContext ctx) {
        }
    }

    /**
     * Binds a TLS server (docs/LIMITS.md): a connection over {@code limits}' caps is closed as soon as it is accepted;
     * the others get the TLS handler from {@code tls} (read anew, so a regenerated certificate is presented to the next
     * connection) with the handshake deadline, what {@code protocol} adds, the request deadline right before the
     * protocol's last handler, and a last handler that ends any exception nobody handled. {@code service} names
     * the server in log lines.
     */
    public static ChannelFuture bindTls(EventLoopGroup group, InetSocketAddress where, Supplier<SslContext> tls,
                                        ConnectionLimits limits, String service, TlsProtocol protocol) {
        return bindTls(group, where, tls, limits, new ClientSlots(limits.maxConnections(), limits.maxConnectionsPerClient()), service,
                protocol);
    }

    /** As above, counting connections in {@code slots} (made from {@code limits}' caps), which the caller may read. */
    public static ChannelFuture bindTls(EventLoopGroup group, InetSocketAddress where, Supplier<SslContext> tls,
                                        ConnectionLimits limits, ClientSlots slots, String service, TlsProtocol protocol) {
        return bind(group, where, java.util.Objects.requireNonNull(tls, "tls"), limits, slots, service, protocol);
    }

    /**
     * An HTTPS server (docs/LIMITS.md) bounded like the plain HTTP ones ({@link BoundedHttp#overTls}): one request at
     * a time per connection, nothing more read while an answer is being written, and a client that does not read its
     * answers cut at the deadline. From {@code limits}: the caps, the handshake deadline, and {@code requestTimeout}
     * for each request, for the wait before it and for writing its answer; requests of up to {@code maxRequestBytes}.
     * {@code handlers} receive the aggregated requests; bind the result's bootstrap.
     */
    public static BoundedHttp https(EventLoopGroup group, Supplier<SslContext> tls, ConnectionLimits limits, int maxRequestBytes,
                                    String service, Consumer<ChannelPipeline> handlers) {
        Duration t = limits.requestTimeout();
        HttpLimits http = new HttpLimits(t, t, t, maxRequestBytes, limits.maxConnections(), limits.maxConnectionsPerClient());
        return BoundedHttp.overTls(group, http, service, tls, limits.handshakeTimeout(), handlers);
    }

    /**
     * Binds a plain TCP server with the same limits as {@link #bindTls} (caps, request deadline from the accept, last
     * handler): SIP over TCP.
     */
    public static ChannelFuture bindTcp(EventLoopGroup group, InetSocketAddress where, ConnectionLimits limits, String service,
                                        TlsProtocol protocol) {
        return bind(group, where, null, limits, new ClientSlots(limits.maxConnections(), limits.maxConnectionsPerClient()), service,
                protocol);
    }

    private static ChannelFuture bind(EventLoopGroup group, InetSocketAddress where, Supplier<SslContext> tls,
                                      ConnectionLimits limits, ClientSlots slots, String service, TlsProtocol protocol) {
        return BoundedServer.bootstrap(group, slots, service, LOG, tls, limits.handshakeTimeout(), p -> {
            protocol.addHandlers(p);
            p.addBefore(p.lastContext().name(), "request-deadline", new RequestDeadline(limits.requestTimeout(), protocol::requestDeadlineMissed));
        }).bind(where);
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
