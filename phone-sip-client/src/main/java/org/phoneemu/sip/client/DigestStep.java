package org.phoneemu.sip.client;

import java.util.Optional;
import org.phoneemu.core.sip.DigestChallengePolicy;

/**
 * What the digest step ({@link DigestChallengeHandler}) did on one connection, read with the final answer: whether the
 * request that got it carried the phone's credentials, and why a challenge was passed on unanswered.
 *
 * @param answeredAs the digest user of the last request's Authorization (empty: sent without one)
 * @param stopped    the decision that passed a 401/407 on to the exchange (credentials refused, none configured,
 *                   a challenge the phone cannot answer)
 */
record DigestStep(Optional<String> answeredAs, Optional<DigestChallengePolicy.Decision> stopped) {
    static final DigestStep NONE = new DigestStep(Optional.empty(), Optional.empty());
}
