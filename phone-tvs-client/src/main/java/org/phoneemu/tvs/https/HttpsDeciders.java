package org.phoneemu.tvs.https;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.https.HttpsCertificateCheck;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.tvs.client.TvsOutcome;

/**
 * Ready-made {@link HttpsCertificateDecider}s: the phone's local check (CTL, ITL, TVS cache) first, then TVS.
 * {@code tvs} is typically {@code TvsClient.verifier(...)} bound to the phone's TVS servers and trust lists.
 */
public final class HttpsDeciders {
    private HttpsDeciders() {
    }

    /** What a local check concluded. */
    public enum LocalDecision { ALLOW, REFUSE, UNKNOWN }

    /** The phone's own check, which logs its own CTL/ITL/cache lines. */
    @FunctionalInterface
    public interface LocalCheck {
        LocalDecision check(X509Certificate serverCert, InetSocketAddress server);
    }

    /**
     * {@code local} decides when it can; on {@link LocalDecision#UNKNOWN} TVS is asked and only a valid verdict
     * allows. Logs the phone's closing line for the TVS path ({@code Authenticated the HTTPS conn via TVS}, an ERR
     * line on the real phone too, or the refusal).
     */
    public static HttpsCertificateDecider withTvsFallback(LocalCheck local,
            Function<X509Certificate, CompletableFuture<TvsOutcome>> tvs, ConsoleLog log) {
        return (cert, server) -> {
            LocalDecision d = local.check(cert, server);
            if (d == LocalDecision.ALLOW) {
                return CompletableFuture.completedFuture(true);
            }
            if (d == LocalDecision.REFUSE) {
                return CompletableFuture.completedFuture(false);
            }
            String ip = server.getAddress().getHostAddress();
            return tvs.apply(cert).thenApply(outcome -> {
                if (outcome instanceof TvsOutcome.Verdict v && v.valid()) {
                    log.error("SECD: Authenticated the HTTPS conn via TVS");
                    return true;
                }
                String why = outcome instanceof TvsOutcome.Verdict v ? "TVS " + v.server() + " answered status " + v.status()
                        : "no TVS server available: " + ((TvsOutcome.AllFailed) outcome).summary();
                log.error("SECD: EROR:https_cert_vfy: HTTPS cert could not be authenticated via TVS, <" + ip + ">: " + why);
                return false;
            });
        };
    }

    /**
     * The phone-core check ({@link HttpsCertificateCheck}: CTL, ITL, TVS cache, with the phone's lines) resumed with
     * TVS's answer (which caches a valid verdict). {@code trust} is read at each call.
     */
    public static HttpsCertificateDecider fromPhoneCore(HttpsCertificateCheck check, Supplier<InstalledTrust> trust,
            Function<X509Certificate, CompletableFuture<TvsOutcome>> tvs) {
        return (cert, server) -> {
            String ip = server.getAddress().getHostAddress();
            HttpsDecision first = check.check(trust.get(), cert, ip);
            if (first instanceof HttpsDecision.NeedsTvs pending) {
                return tvs.apply(cert).thenApply(outcome -> check.resume(pending, outcome.toAnswer()) instanceof HttpsDecision.Allowed);
            }
            return CompletableFuture.completedFuture(first instanceof HttpsDecision.Allowed);
        };
    }
}
