package org.phoneemu.cucm.sip;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSession;
import org.phoneemu.sip.codec.SipMessage;

/**
 * Counts what passes a registrar's connections ({@link RegistrarCounts}): one shared handler per registrar, between
 * the SIP codec and the registrar's handler, so it sees whole requests coming in and whole answers going out.
 */
@ChannelHandler.Sharable
final class RegistrarCounter extends ChannelDuplexHandler {
    /** The methods the registrar answers, each counted under its name. */
    private static final Set<String> ANSWERED = Set.of("REGISTER", "REFER");
    /** Every other method: a client may send any token, so its names must not become keys (memory it could fill). */
    static final String OTHER = "other";

    private final LongAdder tlsConnections = new LongAdder();
    private final LongAdder tlsHandshakes = new LongAdder();
    private final LongAdder fullHandshakes = new LongAdder();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> suites = new ConcurrentHashMap<>();

    /** A connection was accepted on the secured port. */
    void tlsConnection() {
        tlsConnections.increment();
    }

    /** The registrar's private key was handed to a handshake (a full one: a resumed handshake needs no key). */
    void keyUsed() {
        fullHandshakes.increment();
    }

    RegistrarCounts snapshot() {
        return new RegistrarCounts(tlsConnections.sum(), tlsHandshakes.sum(), fullHandshakes.sum(), sums(requests), sums(answers),
                sums(suites));
    }

    private static <K extends Comparable<K>> Map<K, Long> sums(Map<K, LongAdder> counters) {
        Map<K, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
            tlsHandshakes.increment();
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                SSLSession s = ssl.engine().getSession();
                suites.computeIfAbsent(s.getProtocol() + " " + s.getCipherSuite(), k -> new LongAdder()).increment();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof SipMessage.Request r) {
            requests.computeIfAbsent(ANSWERED.contains(r.method()) ? r.method() : OTHER, k -> new LongAdder()).increment();
        }
        super.channelRead(ctx, msg);
    }

    /** Answers are keyed by the status the registrar chose, and suites by what it enabled: neither grows with input. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof SipMessage.Response r) {
            answers.computeIfAbsent(r.status(), k -> new LongAdder()).increment();
        }
        super.write(ctx, msg, promise);
    }
}
