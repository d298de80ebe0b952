package org.phoneemu.tls.client;

import io.netty.handler.ssl.NotSslRecordException;

/** One-line reasons for failures of the phone's TLS connections, the same for TVS, HTTPS and CAPF. */
public final class TlsFailures {
    /** Longest message text kept in a one-line error; the rest is cut. */
    static final int MAX_MESSAGE = 160;

    static final String NOT_TLS = "the peer does not speak TLS (its first bytes are not a TLS record)";

    private TlsFailures() {
    }

    /**
     * The innermost cause as {@code SimpleName: message}, for one-line errors: a peer that does not speak TLS is said
     * in words (Netty's message is a hex dump of all it sent), and any message is cut at {@value #MAX_MESSAGE} chars.
     */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            if (c instanceof NotSslRecordException) {
                break;
            }
            c = c.getCause();
        }
        if (c instanceof NotSslRecordException) {
            return NOT_TLS;
        }
        String m = c.getMessage();
        if (m != null && m.length() > MAX_MESSAGE) {
            m = m.substring(0, MAX_MESSAGE) + "...";
        }
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
