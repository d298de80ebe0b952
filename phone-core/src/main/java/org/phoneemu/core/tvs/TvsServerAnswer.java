package org.phoneemu.core.tvs;

import java.util.Objects;

/**
 * What one TVS server did with a phone's question, as a value: the phone's console line about it is a rendering of
 * this, so a reader of the outcome (predict, a fleet row) never parses console text.
 *
 * @param host   the server as the phone's configuration names it (an IPv4 address or a host name)
 * @param detail why, in words, when the server gave no verdict (empty otherwise)
 */
public record TvsServerAnswer(String host, int port, Reply reply, String detail) {
    /** How the server took part. */
    public enum Reply {
        /** Status 0: it knows the certificate. */
        VALID,
        /** A non-zero status: it does not know the certificate. */
        INVALID,
        /** Its TLS certificate is not a TVS record of the phone's lists: the phone hung up before asking. */
        NOT_TRUSTED,
        /** No verdict: not resolved, not reachable, closed, malformed answer. */
        NO_ANSWER
    }

    public TvsServerAnswer {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(detail, "detail");
    }

    /** Whether it gave a verdict (valid or not). */
    public boolean answered() {
        return reply == Reply.VALID || reply == Reply.INVALID;
    }
}
