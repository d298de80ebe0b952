package org.phoneemu.core.sip;

import org.phoneemu.core.config.DigestCredentials;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the phone does with a 401 or 407 to its REGISTER (docs/SIP.md §12), in one place, without I/O: answer the
 * challenge with its configured digest credentials (RFC 3261 §22.2: the same request again, CSeq + 1, with
 * Authorization), or stop. A second challenge after an answer means the credentials were refused, unless it says
 * {@code stale=true} (the nonce, not the password, was refused): then the phone answers once more with the new nonce.
 */
public final class DigestChallengePolicy {
    private DigestChallengePolicy() {
    }

    /** How far the exchange with one CallManager has got: answers sent, and whether the one stale retry was used. */
    public record State(int answered, boolean staleRetried) {
        public static final State START = new State(0, false);
    }

    /** The decision on one challenge. */
    public sealed interface Decision {
        /** Send the request again with {@code header}: {@link DigestAuthorization#answer}'s value. */
        record Answer(DigestChallenge challenge, String header, State next) implements Decision {
        }

        /** CallManager asks for digest credentials; the configuration has none. */
        record NoCredentials(String realm) implements Decision {
        }

        /** CallManager challenged again after the answer: it refused these credentials. */
        record WrongCredentials(String user, String realm) implements Decision {
        }

        /** No Digest challenge this phone can answer (another scheme, an unknown algorithm, auth-int only, malformed). */
        record Unanswerable(String why) implements Decision {
        }
    }

    /** Whether {@code status} is a challenge (401 from a registrar, 407 from a proxy). */
    public static boolean isChallenge(int status) {
        return status == 401 || status == 407;
    }

    /** The header a challenge of {@code status} comes in. */
    public static String challengeHeader(int status) {
        return status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
    }

    /** The header the answer to a challenge of {@code status} goes in. */
    public static String answerHeader(int status) {
        return status == 407 ? "Proxy-Authorization" : "Authorization";
    }

    /**
     * @param challenges the values of the response's {@link #challengeHeader} fields, in order (of the answerable ones, the
     *                   strongest algorithm is taken, the first of equals: RFC 8760 §2.4's preference)
     */
    public static Decision decide(int status, List<String> challenges, Optional<DigestCredentials> credentials, State state) {
        Optional<DigestChallenge> challenge = challenges.stream().map(DigestChallenge::parse).flatMap(Optional::stream)
                .max(Comparator.comparingInt(c -> c.algorithm().strength()));
        if (challenge.isEmpty()) {
            return new Decision.Unanswerable(challenges.isEmpty() ? status + " without a " + challengeHeader(status) + " header"
                    : "no Digest challenge the phone can answer in " + challengeHeader(status));
        }
        DigestChallenge c = challenge.get();
        if (credentials.isEmpty()) {
            return new Decision.NoCredentials(c.realm());
        }
        if (state.answered() == 0) {
            return new Decision.Answer(c, answerHeader(status), new State(1, false));
        }
        if (c.stale() && !state.staleRetried()) {
            return new Decision.Answer(c, answerHeader(status), new State(state.answered() + 1, true));
        }
        return new Decision.WrongCredentials(credentials.get().user(), c.realm());
    }
}
