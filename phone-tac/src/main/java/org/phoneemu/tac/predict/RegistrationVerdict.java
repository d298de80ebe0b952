package org.phoneemu.tac.predict;

import java.util.Optional;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.phone.RegistrationStep;

/**
 * How a phone's registration ends at a boot of the prediction, from its report's values ({@link RegistrationStep}):
 * the phone's SIP client against the simulated cluster's registrar rules, over the offline network.
 */
public sealed interface RegistrationVerdict {
    /** One line for the report. */
    String describe();

    /** The JSON's word: registered, refused, unreachable, not attempted. */
    String key();

    default boolean registered() {
        return this instanceof Registered;
    }

    /** Registered to {@code node} over {@code transport} (TLS or TCP). */
    record Registered(String node, String transport) implements RegistrationVerdict {
        @Override
        public String describe() {
            return "registers to " + node + " over " + transport;
        }

        @Override
        public String key() {
            return "registered";
        }
    }

    /**
     * CallManager answers the REGISTER with a final refusal.
     *
     * @param reason the reason phrase and the Warning's text, as the phone's SIP client reads them
     *               ({@code Forbidden "TLS authentication failure"})
     */
    record Refused(String node, int status, String reason) implements RegistrationVerdict {
        @Override
        public String describe() {
            return "registration refused by " + node + ": " + status + " " + reason;
        }

        @Override
        public String key() {
            return "refused";
        }
    }

    /**
     * No CallManager of the group registers the phone; {@code why} lists each attempt (a CallManager certificate the
     * phone's lists do not hold: nothing was sent to it).
     *
     * @param untrustedCallManager some CallManager presented a certificate that is not a CallManager record of the lists
     */
    record Unreachable(String why, boolean untrustedCallManager) implements RegistrationVerdict {
        @Override
        public String describe() {
            return why;
        }

        @Override
        public String key() {
            return "unreachable";
        }
    }

    /** The phone did not try: no verified configuration, no CallManager in it, or registration off. */
    record NotAttempted(String why) implements RegistrationVerdict {
        @Override
        public String describe() {
            return "not registered: " + why;
        }

        @Override
        public String key() {
            return "not attempted";
        }
    }

    /** From a boot report's registration step (empty: the phone does not register). */
    public static RegistrationVerdict of(Optional<RegistrationStep> step) {
        if (step.isEmpty()) {
            return new NotAttempted("registration off");
        }
        if (step.get() instanceof RegistrationStep.NotAttempted n) {
            return new NotAttempted(n.why());
        }
        RegistrationOutcome o = ((RegistrationStep.Attempted) step.get()).outcome();
        if (o instanceof RegistrationOutcome.Registered r) {
            return new Registered(r.target().node(), r.target().transport().toString());
        }
        if (o instanceof RegistrationOutcome.Refused r) {
            return new Refused(r.target().node(), r.status(), r.reason());
        }
        RegistrationOutcome.Unreachable u = (RegistrationOutcome.Unreachable) o;
        return new Unreachable(u.summary(), u.anyUntrusted());
    }
}
