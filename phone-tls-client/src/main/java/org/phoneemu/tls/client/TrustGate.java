package org.phoneemu.tls.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one rule of the phone's TLS clients: nothing is sent before the phone trusts the peer. Right after a
 * successful handshake the server's certificate goes to the phone's decision; only {@link Verdict.Trusted} lets the
 * caller write. A decision that says no, throws, fails or answers null is not a yes. TVS and HTTPS use it through
 * {@link GatedTlsExchange}, CAPF (a dialogue where the server speaks first) directly.
 */
public final class TrustGate {
    private TrustGate() {
    }

    /** What the phone decided about the server's certificate. */
    public sealed interface Verdict {
        Optional<X509Certificate> peer();

        /** Trusted: the caller may write. */
        record Trusted(Optional<X509Certificate> peer) implements Verdict {
        }

        /** The decision said no: nothing may be sent. */
        record Refused(Optional<X509Certificate> peer) implements Verdict {
        }

        /** The decision threw or completed exceptionally: treated as no decision, nothing may be sent. */
        record DecisionFailed(Optional<X509Certificate> peer, Throwable cause) implements Verdict {
        }
    }

    /** The server's leaf certificate of the handshake just completed on {@code ctx}'s pipeline. */
    public static Optional<X509Certificate> peerCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return ssl == null ? Optional.empty() : ClientTls.peerCertificate(ssl.engine().getSession());
    }

    /**
     * Asks {@code decision} once about the server's certificate and hands the verdict to {@code then} on the
     * channel's event loop: at once when the decision is already made (a lookup in the installed lists), else when it
     * completes. Call on the event loop, right after a successful {@code SslHandshakeCompletionEvent}.
     */
    public static void decide(ChannelHandlerContext ctx, Function<Optional<X509Certificate>, ? extends CompletionStage<Boolean>> decision,
                              Consumer<Verdict> then) {
        Optional<X509Certificate> peer = peerCertificate(ctx);
        CompletableFuture<Boolean> d;
        try {
            d = Objects.requireNonNull(decision.apply(peer), "the decision is null").toCompletableFuture();
        } catch (RuntimeException ex) {
            d = CompletableFuture.failedFuture(ex);
        }
        if (d.isDone()) {
            then.accept(verdict(peer, d));
        } else {
            CompletableFuture<Boolean> pending = d;
            d.whenComplete((a, e) -> ctx.executor().execute(() -> then.accept(verdict(peer, pending))));
        }
    }

    private static Verdict verdict(Optional<X509Certificate> peer, CompletableFuture<Boolean> done) {
        try {
            return Boolean.TRUE.equals(done.join()) ? new Verdict.Trusted(peer) : new Verdict.Refused(peer);
        } catch (CompletionException | CancellationException ex) {
            Throwable c = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
            return new Verdict.DecisionFailed(peer, c);
        }
    }
}
