package org.phoneemu.capf.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.phoneemu.core.capf.CapfStatus;
import org.phoneemu.core.capf.LscKeySpec;

/** How a CAPF session ended. Futures of the client complete with one of these, never exceptionally. */
public sealed interface CapfOutcome {
    /** Exit code of the {@code capf} command: 0 done, 1 refused, 2 unreachable. */
    int exitCode();

    /** The status message the phone keeps for this outcome (Settings > Status > Status Messages). */
    default String statusMessage() {
        if (this instanceof Installed) {
            return CapfStatus.LSC_INSTALLED;
        }
        if (this instanceof Deleted) {
            return CapfStatus.LSC_DELETED;
        }
        if (this instanceof Fetched) {
            return CapfStatus.LSC_FETCHED;
        }
        return this instanceof Refused ? CapfStatus.LSC_FAILED : CapfStatus.LSC_CONNECTION_FAILED;
    }

    /** Install/upgrade: the new LSC and its key are on the flash. */
    record Installed(X509Certificate lsc, LscKeySpec key, int tries) implements CapfOutcome {
        public int exitCode() {
            return 0;
        }
    }

    /** Delete: the LSC is gone from the flash. */
    record Deleted(int tries) implements CapfOutcome {
        public int exitCode() {
            return 0;
        }
    }

    /** Troubleshoot: the phone sent its certificate (LSC, else MIC) to CAPF. */
    record Fetched(Optional<X509Certificate> sent, int tries) implements CapfOutcome {
        public int exitCode() {
            return 0;
        }
    }

    /** Refused by the server or by the phone's own checks; not retried. The flash is unchanged. */
    record Refused(Why why, OptionalInt serverReason, String message) implements CapfOutcome {
        public int exitCode() {
            return 1;
        }
    }

    /** Every try failed to communicate (connect, TLS, timeout, hang-up, malformed message). The flash is unchanged. */
    record Unreachable(List<String> failures) implements CapfOutcome {
        public Unreachable {
            failures = List.copyOf(failures);
        }

        public int exitCode() {
            return 2;
        }
    }

    /** Why a session was refused. */
    enum Why {
        /** The server's certificate is not a CAPF record of the phone's trust lists; nothing was sent. */
        UNTRUSTED_SERVER,
        /** The phone's trust decision on the server's certificate failed (threw): treated as no decision, nothing sent. */
        DECISION_FAILED,
        /** The server asked the phone to come back later than the phone waits (RETRY_LATER). */
        RETRY_LATER,
        /** The server ended the session with a reason other than success (authentication failed, no operation…). */
        SERVER_REFUSED,
        /** The server asked for a key the phone does not make. */
        KEY_REFUSED,
        /** The issued certificate failed the phone's checks, or the session broke before the server confirmed it. */
        BAD_CERTIFICATE,
        /** The flash could not be written. */
        STORE_FAILED
    }
}
