package org.phoneemu.capf.client;

import org.phoneemu.core.text.TerminalText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.phoneemu.capf.api.CapfFlash;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.api.CapfRequest;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.CapfServerTrust;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.flash.Flash;

/**
 * One phone's CAPF session end to end, for callers that may block (the command line, scenario steps): builds the
 * request from the phone's flash, runs it, and leaves the status message. Never call it on an event loop.
 */
public final class CapfEnrollment {
    private CapfEnrollment() {
    }

    /** The phone's own rule: the server's certificate must be a CAPF record of the installed CTL/ITL. */
    public static Predicate<X509Certificate> trustListCheck(Flash store) {
        return cert -> CapfServerTrust.isTrustedCapf(store.trust(), cert);
    }

    /**
     * @param model the phone model, for the device name CAPF knows ({@code SEP<MAC>} is what is sent)
     * @param trustedCapf usually {@link #trustListCheck}; a pinned certificate on the command line
     */
    public static CapfOutcome run(CapfClient client, Flash store, StatusMessages status, ConsoleLog log,
                                  InetSocketAddress server, String mac, CapfAuthMode mode, Optional<String> authString,
                                  Predicate<X509Certificate> trustedCapf) {
        // The flash is touched on one thread of its own, as on a phone: the request's snapshot, the commit, the status.
        ExecutorService phone = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "capf-phone");
            t.setDaemon(true);
            return t;
        });
        try {
            CapfRequest request = CompletableFuture.supplyAsync(() -> new CapfRequest(server,
                    "SEP" + mac.toUpperCase(java.util.Locale.ROOT), mode, authString, store.identity(), trustedCapf), phone).join();
            CapfOutcome outcome = client.run(request, CapfFlash.of(store, phone), log).join();
            CompletableFuture.runAsync(() -> {
                status.add(statusMessage(outcome));
                try {
                    store.saveStatus();
                } catch (IOException e) {
                    log.warn("SECD: flash: cannot save the status messages: " + e.getMessage());
                }
            }, phone).join();
            return outcome;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        } finally {
            phone.shutdown();
        }
    }

    /** {@link CapfOutcome#statusMessage()}. */
    public static String statusMessage(CapfOutcome outcome) {
        return outcome.statusMessage();
    }

    /** One line for people: what happened. */
    public static String describe(CapfOutcome outcome) {
        if (outcome instanceof CapfOutcome.Installed i) {
            return "LSC installed: " + TerminalText.line(i.lsc().getSubjectX500Principal().getName()) + ", " + i.key().describe() + ", serial "
                    + i.lsc().getSerialNumber().toString(16) + ", issued by "
                    + TerminalText.line(i.lsc().getIssuerX500Principal().getName())
                    + ", valid until " + i.lsc().getNotAfter().toInstant();
        }
        if (outcome instanceof CapfOutcome.Deleted) {
            return "LSC deleted";
        }
        if (outcome instanceof CapfOutcome.Fetched f) {
            return "certificate sent to CAPF: " + f.sent().map(c -> TerminalText.line(c.getSubjectX500Principal().getName()))
                    .orElse("none (the phone holds none)");
        }
        if (outcome instanceof CapfOutcome.Refused r) {
            return "refused (" + r.why() + "): " + r.message();
        }
        return "CAPF server unreachable: " + String.join("; ", ((CapfOutcome.Unreachable) outcome).failures());
    }
}
