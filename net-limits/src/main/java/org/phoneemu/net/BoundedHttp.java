package org.phoneemu.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain HTTP/1.1 server bounded by {@link HttpLimits} (docs/LIMITS.md): connections over the caps are closed as
 * soon as they are accepted; the others get Netty's HTTP codec (request line 4 KiB, headers 8 KiB) inside the
 * {@link HttpDeadlines}, an aggregator of {@code maxRequestBytes}, what the caller adds (receiving
 * {@code FullHttpRequest}s), and a last handler that ends any exception nobody handled. A failing accept (no file
 * descriptor left) is logged once per 10 s and pauses accepting for a second ({@link AcceptGuard}).
 * {@link #overTls} puts the same pipeline behind a TLS handler, so an HTTPS server too answers one request at a time
 * and cuts a client that does not read its answers.
 */
public final class BoundedHttp {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedHttp.class);

    private final ClientSlots slots;
    private final ServerBootstrap bootstrap;

    private BoundedHttp(ClientSlots slots, ServerBootstrap bootstrap) {
        this.slots = slots;
        this.bootstrap = bootstrap;
    }

    /**
     * @param service  names the server in log lines ("web", "metrics")
     * @param handlers adds the handlers that answer the aggregated requests
     */
    public static BoundedHttp on(EventLoopGroup group, HttpLimits limits, String service, Consumer<ChannelPipeline> handlers) {
        return build(group, limits, service, null, null, handlers);
    }

    /**
     * As {@link #on}, each connection first getting a TLS handler from {@code tls} (read anew per connection, so a
     * regenerated certificate is presented to the next one) that must end its handshake within {@code handshakeTimeout};
     * the deadline before the first request then counts from the end of the handshake.
     */
    public static BoundedHttp overTls(EventLoopGroup group, HttpLimits limits, String service, Supplier<SslContext> tls,
                                      Duration handshakeTimeout, Consumer<ChannelPipeline> handlers) {
        return build(group, limits, service, Objects.requireNonNull(tls, "tls"), Objects.requireNonNull(handshakeTimeout, "handshakeTimeout"),
                handlers);
    }

    private static BoundedHttp build(EventLoopGroup group, HttpLimits limits, String service, Supplier<SslContext> tls,
                                     Duration handshakeTimeout, Consumer<ChannelPipeline> handlers) {
        ClientSlots slots = new ClientSlots(limits.maxConnections(), limits.maxConnectionsPerClient());
        ServerBootstrap b = BoundedServer.bootstrap(group, slots, service, LOG, tls, handshakeTimeout, p -> {
            HttpDeadlines deadlines = new HttpDeadlines(limits);
            p.addLast("request-start", deadlines.beforeCodec());
            p.addLast("http", new HttpServerCodec(4096, 8192, 8192));
            // Holds the parts the codec decoded from bytes already read (several requests in one write)
            // while auto-read is off, so a connection still hands on one request at a time.
            p.addLast("one-at-a-time", new FlowControlHandler());
            p.addLast("deadlines", deadlines.afterCodec());
            p.addLast("aggregator", new HttpObjectAggregator(limits.maxRequestBytes()));
            handlers.accept(p);
        });
        return new BoundedHttp(slots, b);
    }

    /** The bootstrap to bind. */
    public ServerBootstrap bootstrap() {
        return bootstrap;
    }

    /** Connections open now (for the tests and a status line). */
    public int openConnections() {
        return slots.inUse();
    }
}
