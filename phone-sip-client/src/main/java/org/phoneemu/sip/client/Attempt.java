package org.phoneemu.sip.client;

import java.util.Optional;
import org.phoneemu.core.sip.RegistrationOutcome.AttemptFailure;
import org.phoneemu.sip.codec.SipMessage;

/** What one REGISTER to one CallManager came to: its final answer, or why there is none. */
sealed interface Attempt {
    /** A final answer, and the TLS suite it came over (empty over TCP). */
    record Answered(SipMessage.Response response, Optional<String> cipherSuite) implements Attempt {
    }

    record Failed(AttemptFailure failure, String detail) implements Attempt {
    }
}
