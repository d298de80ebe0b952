package org.phoneemu.sip.client;

import io.netty.channel.Channel;
import java.util.Optional;
import org.phoneemu.core.sip.RegistrationOutcome.AttemptFailure;
import org.phoneemu.sip.codec.SipMessage;

/** What one REGISTER to one CallManager came to: its final answer, or why there is none. */
sealed interface Attempt {
    /**
     * A final answer, the TLS suite it came over (empty over TCP), and what the digest step did before it; {@code open}:
     * the connection it came on, left open for the client to keep (a registration's connection) or close; empty when it
     * is closed already.
     */
    record Answered(SipMessage.Response response, Optional<String> cipherSuite, DigestStep digest, Optional<Channel> open)
            implements Attempt {
        Answered(SipMessage.Response response, Optional<String> cipherSuite) {
            this(response, cipherSuite, DigestStep.NONE, Optional.empty());
        }

        Answered(SipMessage.Response response, Optional<String> cipherSuite, DigestStep digest) {
            this(response, cipherSuite, digest, Optional.empty());
        }

        Answered(SipMessage.Response response, Optional<String> cipherSuite, Optional<Channel> open) {
            this(response, cipherSuite, DigestStep.NONE, open);
        }

        /** Closes the connection it came on, if it was left open. */
        void close() {
            open.ifPresent(Channel::close);
        }
    }

    record Failed(AttemptFailure failure, String detail) implements Attempt {
    }
}
