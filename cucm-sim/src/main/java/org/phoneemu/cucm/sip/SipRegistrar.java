package org.phoneemu.cucm.sip;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.SipTlsOffer;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.cucm.net.internal.ClientJudgedTls;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.net.internal.ServerSupport;
import org.phoneemu.net.WriteBackpressure;
import org.phoneemu.sip.codec.SipLimits;
import org.phoneemu.sip.codec.SipMessageDecoder;
import org.phoneemu.sip.codec.SipMessageEncoder;

/**
 * A CallManager node's SIP registrar: TCP on the SIP port, TLS on the secured SIP port with the node's CallManager
 * certificate (read per connection, so a regenerated certificate is presented to the next phone). The TLS layer asks
 * for a client certificate and lets any through; {@link RegistrarRules} judges it on the REGISTER, as CUCM answers a
 * bad one with a 403. Bounded like the other servers ({@link ConnectionLimits}, {@link SipLimits}).
 */
public final class SipRegistrar {
    private final EventLoopGroup group;
    private final String node;
    private final InetSocketAddress tcpAddress;
    private final InetSocketAddress tlsAddress;
    private final RegistrarDirectory directory;
    private final Consumer<String> trace;
    private final ConnectionLimits limits;
    private final Registrations registrations = new Registrations();
    private final DigestGate digest = new DigestGate();
    private final ClientJudgedTls serverTls;
    private final RegistrarCounter counter = new RegistrarCounter();
    /** The open TLS connections: closed when the CallManager key changes (CUCM restarts the service, dropping them). */
    private final ChannelGroup tlsConnections = new DefaultChannelGroup("SIP-TLS", GlobalEventExecutor.INSTANCE);
    /** The context the connection being set up on this event loop thread got (read in initChannel, before the handlers). */
    private final ThreadLocal<SslContext> handedOut = new ThreadLocal<>();
    private volatile Channel tcp;
    private volatile Channel tls;

    public SipRegistrar(EventLoopGroup group, String node, InetSocketAddress tcpAddress, InetSocketAddress tlsAddress,
                        Supplier<KeyMaterial> callManagerKey, RegistrarDirectory directory, Consumer<String> trace,
                        ConnectionLimits limits) {
        this.group = group;
        this.node = node;
        this.tcpAddress = tcpAddress;
        this.tlsAddress = tlsAddress;
        // The registrar judges the phone's certificate itself (RegistrarRules), after the handshake. Authenticated phones
        // offer NULL-SHA only; the port cannot know the device before the handshake, so it accepts it from any client.
        this.serverTls = new ClientJudgedTls(callManagerKey, "SIP", SipTlsOffer.callManagerNullSuites(), counter::keyUsed);
        this.directory = directory;
        this.trace = trace;
        this.limits = limits;
    }

    /** Binds both ports; completes with the bound TCP and TLS addresses. */
    public CompletableFuture<InetSocketAddress[]> bind() {
        ChannelFuture plain = ServerSupport.bindTcp(group, tcpAddress, limits, "SIP", protocol(SipTransport.TCP));
        ChannelFuture secure = ServerSupport.bindTls(group, tlsAddress, this::tlsContext, limits, "SIP-TLS", protocol(SipTransport.TLS));
        tcp = plain.channel();
        tls = secure.channel();
        CompletableFuture<InetSocketAddress> a = ServerSupport.bound(plain, "SIP", tcpAddress);
        CompletableFuture<InetSocketAddress> b = ServerSupport.bound(secure, "SIP-TLS", tlsAddress);
        return a.thenCombine(b, (x, y) -> new InetSocketAddress[] {x, y});
    }

    private SslContext tlsContext() {
        SslContext c = serverTls.current();
        handedOut.set(c);
        return c;
    }

    /**
     * Closes every open TLS connection: called after the CallManager key or certificate changed, so no phone goes on
     * over a connection made with the old key (a real CUCM restarts the service). Does not wait.
     */
    public void callManagerKeyChanged() {
        tlsConnections.close();
    }

    private ServerSupport.TlsProtocol protocol(SipTransport transport) {
        return new ServerSupport.TlsProtocol() {
            @Override
            public void addHandlers(ChannelPipeline p) {
                if (transport == SipTransport.TLS) {
                    tlsConnections.add(p.channel());
                    // Made with a key that changed before the connection joined the group: the close missed it.
                    if (handedOut.get() != serverTls.current()) {
                        p.channel().close();
                    }
                    handedOut.remove();
                    counter.tlsConnection();
                }
                p.addLast("decoder", new SipMessageDecoder(SipLimits.defaults()));
                p.addLast("encoder", SipMessageEncoder.INSTANCE);
                p.addLast("backpressure", new WriteBackpressure());
                p.addLast("counts", counter);
                p.addLast("registrar", new RegistrarHandler(node, transport, directory, registrations, trace, digest));
            }

            @Override
            public void requestDeadlineMissed(ChannelHandlerContext ctx) {
                trace.accept("SIP: closing the connection from " + ctx.channel().remoteAddress() + ": no request within "
                        + limits.requestTimeout().toMillis() + " ms");
            }
        };
    }

    /** What this registrar has done since it started: connections, handshakes, requests, answers. */
    public RegistrarCounts counts() {
        return counter.snapshot();
    }

    /** The devices registered to this node. */
    public Registrations registrations() {
        return registrations;
    }

    public CompletableFuture<Void> close() {
        return CompletableFuture.allOf(ServerSupport.closed(tcp), ServerSupport.closed(tls));
    }
}
