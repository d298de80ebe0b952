package org.phoneemu.sip.codec;

import io.netty.handler.codec.CorruptedFrameException;

/** A stream the SIP decoder refuses; {@link #reason()} says which rule it broke. */
public final class SipCodecException extends CorruptedFrameException {
    /** The rule broken. */
    public enum Reason {
        /** No blank line ending the header within the limit. */
        HEADER_TOO_LARGE,
        /** Not {@code METHOD uri SIP/2.0} nor {@code SIP/2.0 code reason}. */
        BAD_START_LINE,
        /** A header line without a name and a colon, or with bytes that are not text. */
        BAD_HEADER,
        TOO_MANY_HEADERS,
        /** A stream transport needs Content-Length to find where a message ends (RFC 3261 §18.3). */
        MISSING_CONTENT_LENGTH,
        /** Not a decimal number, or given twice with different values. */
        BAD_CONTENT_LENGTH,
        BODY_TOO_LARGE,
        /** The stream ended inside a message. */
        TRUNCATED
    }

    private final Reason reason;

    public SipCodecException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
