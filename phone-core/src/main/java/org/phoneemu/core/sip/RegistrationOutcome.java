package org.phoneemu.core.sip;

import java.util.List;
import java.util.Optional;

/** What a registration attempt over the CallManager group came to. */
public sealed interface RegistrationOutcome {
    /** One line for the console, the CLI and the boot report. */
    String summary();

    /**
     * CallManager accepted the REGISTER.
     *
     * @param expiresSeconds the interval CallManager granted (CUCM answers a primary's 3600 with its keep-alive, 120 s)
     * @param cipherSuite    the TLS suite negotiated (empty over TCP), reported so an Authenticated device that did
     *                       not get NULL-SHA is visible rather than silent (docs/SIP.md §5)
     * @param digestUser     the digest user the phone answered CallManager's challenge with (empty: not challenged),
     *                       docs/SIP.md §12
     */
    record Registered(CallManagerTarget target, int expiresSeconds, Optional<String> cipherSuite, Optional<String> digestUser)
            implements RegistrationOutcome {
        public Registered {
            java.util.Objects.requireNonNull(digestUser, "digestUser");
        }

        /** A registration without a digest challenge. */
        public Registered(CallManagerTarget target, int expiresSeconds, Optional<String> cipherSuite) {
            this(target, expiresSeconds, cipherSuite, Optional.empty());
        }

        @Override
        public String summary() {
            return "registered to " + target.node() + " over " + target.transport() + ", expires " + expiresSeconds + " s"
                    + cipherSuite.map(c -> " (" + c + ")").orElse("")
                    + digestUser.map(u -> ", digest authentication as " + u).orElse("");
        }
    }

    /**
     * CallManager answered with a final refusal (4xx, 6xx): the phone does not move to the next CallManager for it.
     *
     * @param reason the reason phrase, and the Warning header's text when there is one
     */
    record Refused(CallManagerTarget target, int status, String reason) implements RegistrationOutcome {
        @Override
        public String summary() {
            return "registration refused by " + target.node() + ": " + status + " " + reason;
        }
    }

    /** No CallManager of the group answered usefully; each attempt says why (untrusted certificate, connect, 5xx...). */
    record Unreachable(List<Attempt> attempts) implements RegistrationOutcome {
        public Unreachable {
            attempts = List.copyOf(attempts);
        }

        @Override
        public String summary() {
            if (attempts.isEmpty()) {
                return "not registered: no CallManager in the configuration";
            }
            StringBuilder b = new StringBuilder("not registered: ");
            for (int i = 0; i < attempts.size(); i++) {
                b.append(i == 0 ? "" : "; ").append(attempts.get(i));
            }
            return b.toString();
        }

        /** Whether some CallManager presented a certificate the phone's lists do not hold (nothing was sent to it). */
        public boolean anyUntrusted() {
            return attempts.stream().anyMatch(a -> a.failure() == AttemptFailure.UNTRUSTED_CERTIFICATE);
        }
    }

    /** Why one CallManager of the group gave no registration. */
    enum AttemptFailure {
        /** Its TLS certificate is not a CallManager record of the phone's lists: nothing was sent. */
        UNTRUSTED_CERTIFICATE,
        /** Its TLS certificate is a CallManager record but past its end date on the phone's clock: nothing was sent. */
        EXPIRED_CERTIFICATE,
        CONNECT_FAILED,
        TLS_FAILED,
        NO_RESPONSE,
        CONNECTION_CLOSED,
        MALFORMED_RESPONSE,
        /** A 5xx (503 Service Unavailable...): try the next. */
        SERVER_ERROR
    }

    /** One failed try. */
    record Attempt(CallManagerTarget target, AttemptFailure failure, String detail) {
        @Override
        public String toString() {
            return target + " " + failure + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }
}
