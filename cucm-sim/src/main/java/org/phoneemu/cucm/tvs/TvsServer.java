package org.phoneemu.cucm.tvs;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.net.internal.ServerSupport;
import org.phoneemu.tvs.frame.TvsFrameDecoder;
import org.phoneemu.tvs.frame.TvsFrameEncoder;

/**
 * A node's Trust Verification Service: TLS with the node's TVS certificate, then VERIFY and QUERY requests
 * answered from the cluster's {@link CertificateStore}. Each new connection takes the current certificate and
 * store, so a regeneration is visible to the next phone that connects.
 */
public final class TvsServer {
    private final EventLoopGroup group;
    private final InetSocketAddress bindAddress;
    private final Supplier<SslContext> tls;
    private final Supplier<CertificateStore> store;
    private final Supplier<Duration> ttl;
    private final Clock clock;
    private final Consumer<String> trace;
    private final ConnectionLimits limits;
    /** Malformed frames and resets are logged once per interval for the whole server, then summarised. */
    private final TvsRequestHandler.Noise malformed = new TvsRequestHandler.Noise();
    private volatile Channel channel;

    /**
     * @param tls the TLS context with the node's current TVS certificate
     * @param ttl the time-to-live given with a valid verdict
     * @param clock the cluster's clock: a certificate past its end date on it is not vouched for
     * @param trace receives lines in the words of CUCM's TVS trace
     */
    public TvsServer(EventLoopGroup group, InetSocketAddress bindAddress, Supplier<SslContext> tls,
                     Supplier<CertificateStore> store, Supplier<Duration> ttl, Clock clock, Consumer<String> trace) {
        this(group, bindAddress, tls, store, ttl, clock, trace, ConnectionLimits.defaults());
    }

    /** @param limits handshake and request deadlines, connection caps */
    public TvsServer(EventLoopGroup group, InetSocketAddress bindAddress, Supplier<SslContext> tls,
                     Supplier<CertificateStore> store, Supplier<Duration> ttl, Clock clock, Consumer<String> trace, ConnectionLimits limits) {
        this.limits = limits;
        this.clock = clock;
        this.group = group;
        this.bindAddress = bindAddress;
        this.tls = tls;
        this.store = store;
        this.ttl = ttl;
        this.trace = trace;
    }

    public CompletableFuture<InetSocketAddress> bind() {
        var f = ServerSupport.bindTls(group, bindAddress, tls, limits, "TVS", new ServerSupport.TlsProtocol() {
            @Override
            public void addHandlers(ChannelPipeline p) {
                p.addLast("decoder", new TvsFrameDecoder());
                p.addLast("encoder", TvsFrameEncoder.INSTANCE);
                p.addLast("handler", new TvsRequestHandler(store, ttl, clock, trace, malformed));
            }

            @Override
            public void requestDeadlineMissed(ChannelHandlerContext ctx) {
                trace.accept(TvsRequestHandler.peer(ctx) + ": no whole request within " + limits.requestTimeout().toMillis()
                        + " ms; closing the connection");
            }
        });
        channel = f.channel();
        return ServerSupport.bound(f, "TVS", bindAddress);
    }

    /**
     * What this server sends back for {@code request} (VERIFY or QUERY), without a connection: the same answer the
     * server gives over TLS, for a phone whose TVS client runs in process (a prediction). Other commands: empty.
     */
    public static java.util.Optional<org.phoneemu.tvs.frame.TvsFrame> answer(CertificateStore store, Duration ttl, Clock clock,
                                                                            org.phoneemu.tvs.frame.TvsFrame request) {
        TvsRequestHandler h = new TvsRequestHandler(() -> store, () -> ttl, clock, line -> { });
        return switch (request.command()) {
            case VERIFY_REQUEST -> java.util.Optional.of(h.verifyOrUnknown(request));
            case QUERY_REQUEST -> java.util.Optional.of(h.query(request));
            default -> java.util.Optional.empty();
        };
    }

    public CompletableFuture<Void> close() {
        return ServerSupport.closed(channel);
    }
}
