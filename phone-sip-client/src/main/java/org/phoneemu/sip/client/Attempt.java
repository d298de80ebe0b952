package org.phoneemu.sip.client;

import java.util.Optional;
import org.phoneemu.core.sip.RegistrationOutcome.AttemptFailure;
import org.phoneemu.sip.codec.SipMessage;

/** What one REGISTER to one CallManager came to: its final answer, or why there is none. */
sealed interface Attempt {
    /** A final answer, the TLS suite it came over (empty over TCP), and what the digest step did before it. */
    record Answered(SipMessage.Response response, Optional<String> cipherSuite, DigestStep digest) implements Attempt {
        Answered(SipMessage.Response response, Optional<String> cipherSuite) {
            this(response, cipherSuite, DigestStep.NONE);
        }
    }

    record Failed(AttemptFailure failure, String detail) implements Attempt {
    }
}
