package org.phoneemu.tls.client;

import static org.phoneemu.tls.client.TlsFailures.rootMessage;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.phoneemu.core.console.ConsoleLog;

/**
 * One request over TLS where nothing is sent before the trust decision: after the handshake the server's
 * certificate goes to {@link #allows}, and only a {@code true} from it lets {@link #request()} be written; anything
 * else ends the exchange with nothing sent. Then one response is read within the read timeout, and the connection
 * is closed. The TVS client and the phone's HTTPS check are both built on it; they supply the request, the reading
 * of the response and their console lines.
 *
 * <p>The handler sits last in a pipeline with an {@link io.netty.handler.ssl.SslHandler} (the TLS layer accepts any chain: the decision
 * is made here) and the protocol's codec. The result future completes exactly once, never exceptionally. All
 * methods run on the channel's event loop; the decision may complete on any thread.
 *
 * @param <I> the decoded response message
 * @param <R> what the exchange comes to
 */
public abstract class GatedTlsExchange<I, R> extends SimpleChannelInboundHandler<I> {
    /** How far an exchange had got when the server hung up. */
    public enum Stage {
        /** During the TLS handshake. */
        HANDSHAKE,
        /** After the handshake, before the request (while the phone was deciding). */
        DECISION,
        /** After the request, before a response. */
        RESPONSE
    }

    /** The phone's console. */
    protected final ConsoleLog log;
    private final CompletableFuture<R> result;
    private final Duration readTimeout;
    private boolean handshakeDone;
    private boolean requestSent;
    private ScheduledFuture<?> readTimer;

    protected GatedTlsExchange(Class<? extends I> responseType, CompletableFuture<R> result, Duration readTimeout, ConsoleLog log) {
        super(responseType);
        this.result = Objects.requireNonNull(result, "result");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The phone's line when the server's certificate goes to the trust decision, before anything is sent. */
    public static final String VALIDATION_NEEDED = "SECD: srvr_cert_vfy: Server Certificate Validation needs to be done";

    // ---- what a protocol supplies ----

    /**
     * The trust decision on the server's certificate (empty when it presented none), asked once, on the event
     * loop, right after the handshake. Must not block; may complete later, on any thread.
     */
    protected abstract CompletionStage<Boolean> allows(Optional<X509Certificate> serverCertificate);

    /** The result when {@link #allows} said no: logs the phone's line. Nothing has been sent. */
    protected abstract R refused(Optional<X509Certificate> serverCertificate);

    /**
     * The result when {@link #allows} said yes but the certificate is past its end date on the phone's clock
     * ({@link TrustGate.Verdict.Expired}): logs the phone's line with {@code reason}. Nothing has been sent.
     */
    protected abstract R expired(X509Certificate serverCertificate, String reason);

    /** The result when {@link #allows} threw or completed exceptionally: logs the phone's line. Nothing has been sent. */
    protected abstract R decisionFailed(Throwable cause);

    /** The request, asked only once the decision allowed the server (logs what the phone logs then). */
    protected abstract Object request();

    /** The request has been written: logs what the phone logs then. */
    protected void requestWritten() {
    }

    /** The result of the response to the request (success or failure). */
    protected abstract R response(I message);

    /** The result when the server spoke before the request: logs the phone's line. */
    protected abstract R unsolicited(I message);

    /** The result of an exception that is the protocol's own (a malformed or oversized response), if it is one. */
    protected Optional<R> protocolError(Throwable cause) {
        return Optional.empty();
    }

    /** The result for a failure of the exchange itself. */
    protected abstract R failed(ExchangeFailure reason, String message);

    /** Logs the phone's line for a failed TLS handshake. */
    protected abstract void logHandshakeFailed(String why);

    /** Logs the phone's line for a connection error after the handshake. */
    protected abstract void logConnectionError(String why);

    /** Logs the phone's line when the request could not be written. */
    protected abstract void logSendFailed(String why);

    /** Logs the phone's line when no response came within the read timeout. */
    protected abstract void logReadTimeout(long millis);

    /** Logs the phone's line when the server hung up at {@code stage}; returns the failure's message. */
    protected abstract String closed(Stage stage);

    // ---- the rule ----

    /** Completes the exchange with {@code r} (if it is still open) and closes the connection. */
    protected final void finish(ChannelHandlerContext ctx, R r) {
        if (readTimer != null) {
            readTimer.cancel(false);
        }
        if (result.complete(r) && !keepsOpen(r)) {
            ctx.close();
        }
    }

    /**
     * Whether the connection stays open after the exchange ended with {@code r} (a SIP registration's connection, which
     * the phone renews on); false by default: one request, one response, closed. Whoever keeps it open closes it.
     */
    protected boolean keepsOpen(R r) {
        return false;
    }

    private void fail(ChannelHandlerContext ctx, ExchangeFailure reason, String message) {
        if (!result.isDone()) {
            finish(ctx, failed(reason, message));
        }
    }

    @Override
    public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent) {
            // The peer's close_notify ends the stream even when it keeps the TCP connection open (openssl
            // s_server does, and TLS 1.3 allows the half-close): close, so a body delimited by the end of the
            // stream is complete and a missing answer is noticed now rather than at the read timeout.
            ctx.close();
            return;
        }
        if (!(evt instanceof SslHandshakeCompletionEvent e)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (result.isDone()) {
            return;
        }
        if (!e.isSuccess()) {
            String why = rootMessage(e.cause());
            logHandshakeFailed(why);
            fail(ctx, ExchangeFailure.TLS_FAILED, why);
            return;
        }
        handshakeDone = true;
        log.notice(VALIDATION_NEEDED);
        // The phone's clock is its console's (ConsoleLog.clock): one clock for its lines and its end-date checks.
        TrustGate.decide(ctx, log.clock(), this::allows, verdict -> decided(ctx, verdict));
    }

    /**
     * What a verdict other than {@link TrustGate.Verdict.Trusted} comes to (the protocol's line logged), or empty for
     * a trusted server. Also used by an exchange with a server answering in process.
     */
    public final Optional<R> untrusted(TrustGate.Verdict verdict) {
        if (verdict instanceof TrustGate.Verdict.DecisionFailed f) {
            return Optional.of(decisionFailed(f.cause()));
        }
        if (verdict instanceof TrustGate.Verdict.Refused r) {
            return Optional.of(refused(r.peer()));
        }
        if (verdict instanceof TrustGate.Verdict.Expired x) {
            return Optional.of(expired(x.peer().orElseThrow(), x.reason()));
        }
        return Optional.empty();
    }

    private void decided(ChannelHandlerContext ctx, TrustGate.Verdict verdict) {
        if (result.isDone()) {
            return; // the server hung up or something failed while the phone was deciding
        }
        Optional<R> notSent = untrusted(verdict);
        if (notSent.isPresent()) {
            finish(ctx, notSent.get());
            return;
        }
        Object request = request();
        requestSent = true;
        ctx.writeAndFlush(request).addListener((ChannelFuture w) -> {
            if (!w.isSuccess()) {
                String why = rootMessage(w.cause());
                logSendFailed(why);
                fail(ctx, ExchangeFailure.CONNECTION_CLOSED, "request not sent: " + why);
                return;
            }
            requestWritten();
            if (!result.isDone()) {
                long ms = readTimeout.toMillis();
                readTimer = ctx.executor().schedule(() -> {
                    logReadTimeout(ms);
                    fail(ctx, ExchangeFailure.READ_TIMEOUT, "no response within " + ms + " ms");
                }, ms, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    protected final void channelRead0(ChannelHandlerContext ctx, I message) {
        if (result.isDone()) {
            return;
        }
        // A server speaks only when spoken to.
        finish(ctx, requestSent ? response(message) : unsolicited(message));
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (result.isDone()) {
            return;
        }
        Optional<R> own = protocolError(cause);
        if (own.isPresent()) {
            finish(ctx, own.get());
            return;
        }
        String why = rootMessage(cause);
        if (!handshakeDone || cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            logHandshakeFailed(why);
            fail(ctx, ExchangeFailure.TLS_FAILED, why);
            return;
        }
        logConnectionError(why);
        fail(ctx, ExchangeFailure.CONNECTION_CLOSED, why);
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        if (!result.isDone()) {
            Stage stage = !handshakeDone ? Stage.HANDSHAKE : requestSent ? Stage.RESPONSE : Stage.DECISION;
            String message = closed(stage);
            fail(ctx, stage == Stage.HANDSHAKE ? ExchangeFailure.TLS_FAILED : ExchangeFailure.CONNECTION_CLOSED, message);
        }
        ctx.fireChannelInactive();
    }
}
