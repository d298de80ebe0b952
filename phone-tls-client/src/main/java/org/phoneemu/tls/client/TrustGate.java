package org.phoneemu.tls.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.phoneemu.core.trust.ExpiredSigner;

/**
 * The one rule of the phone's TLS clients: nothing is sent before the phone trusts the peer. Right after a
 * successful handshake the server's certificate goes to the phone's decision; only {@link Verdict.Trusted} lets the
 * caller write. A decision that says no, throws, fails or answers null is not a yes; nor is a yes about a certificate
 * past its end date, whatever the protocol (the one place the phone judges a server's end date). TVS and HTTPS use it through
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

        /**
         * The decision said yes, but the certificate is past its end date on the phone's clock: nothing may be sent.
         *
         * @param reason the phone's words ({@link ExpiredSigner#checkServer})
         */
        record Expired(Optional<X509Certificate> peer, String reason) implements Verdict {
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
     * completes. A certificate the decision trusts but that is past its end date on {@code phoneClock} is
     * {@link Verdict.Expired} (docs/TRUST-RULES.md §12 rule 7). Call on the event loop, right after a successful
     * {@code SslHandshakeCompletionEvent}.
     */
    public static void decide(ChannelHandlerContext ctx, Clock phoneClock,
                              Function<Optional<X509Certificate>, ? extends CompletionStage<Boolean>> decision, Consumer<Verdict> then) {
        Optional<X509Certificate> peer = peerCertificate(ctx);
        CompletableFuture<Boolean> d;
        try {
            d = Objects.requireNonNull(decision.apply(peer), "the decision is null").toCompletableFuture();
        } catch (RuntimeException ex) {
            d = CompletableFuture.failedFuture(ex);
        }
        if (d.isDone()) {
            then.accept(verdict(peer, d, phoneClock));
        } else {
            CompletableFuture<Boolean> pending = d;
            d.whenComplete((a, e) -> ctx.executor().execute(() -> then.accept(verdict(peer, pending, phoneClock))));
        }
    }

    /**
     * The verdict on {@code peer} once {@code done} (the decision) has completed; also for an exchange with a server
     * answering in process, which has no channel.
     */
    public static Verdict verdict(Optional<X509Certificate> peer, CompletableFuture<Boolean> done, Clock phoneClock) {
        try {
            if (!Boolean.TRUE.equals(done.join())) {
                return new Verdict.Refused(peer);
            }
            Optional<String> expired = peer.flatMap(c -> ExpiredSigner.checkServer(c, phoneClock.instant()));
            return expired.<Verdict>map(why -> new Verdict.Expired(peer, why)).orElseGet(() -> new Verdict.Trusted(peer));
        } catch (CompletionException | CancellationException ex) {
            Throwable c = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
            return new Verdict.DecisionFailed(peer, c);
        }
    }
}
