package org.phoneemu.phone;

import java.util.Optional;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.TransportDecision;

/**
 * The boot's last step (docs/SIP.md): the transport the phone chose from its configuration and lists, and what the
 * CallManager group answered; or why the phone did not try.
 */
public sealed interface RegistrationStep {
    /** One line for the CLI, the rows and the pages. */
    String text();

    /** Registered to a CallManager of the group. */
    default boolean registered() {
        return this instanceof Attempted a && a.outcome() instanceof RegistrationOutcome.Registered;
    }

    /** The outcome of the registration, when one was attempted. */
    default Optional<RegistrationOutcome> attempted() {
        return this instanceof Attempted a ? Optional.of(a.outcome()) : Optional.empty();
    }

    /**
     * @param transport how the phone chose to register (TLS, or TCP and why not TLS)
     * @param tries     trust-list downloads the secure mode made the phone try first (0 but for a secure mode without lists)
     */
    record Attempted(TransportDecision transport, RegistrationOutcome outcome, int tries) implements RegistrationStep {
        @Override
        public String text() {
            return outcome.summary();
        }
    }

    /** The phone did not register: no verified configuration, or no CallManager in it. */
    record NotAttempted(String why) implements RegistrationStep {
        @Override
        public String text() {
            return "not registered: " + why;
        }
    }
}
