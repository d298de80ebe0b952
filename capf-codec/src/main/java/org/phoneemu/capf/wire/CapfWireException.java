package org.phoneemu.capf.wire;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A CAPF message that breaks the wire format. The decoder fires it down the pipeline and closes the channel: a
 * peer that sent one bad message is not trusted with the rest of the stream.
 */
public final class CapfWireException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Reason {
        BAD_MAGIC,
        UNKNOWN_OPCODE,
        OVERSIZED_MESSAGE,
        TRUNCATED_ELEMENT,
        /** The stream ended inside a message. */
        TRUNCATED_MESSAGE,
        /** A known element with a value of the wrong shape (a 3-byte KEY_SIZE, a CERTIFICATE that is not one nested element). */
        BAD_ELEMENT
    }

    private final Reason reason;

    public CapfWireException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
