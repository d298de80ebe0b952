package org.phoneemu.tvs.frame;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A TVS frame that breaks the wire format (docs/TVS.md §1). The decoder throws it, forwards it down the pipeline and closes the
 * channel: a peer that sent one bad frame is not trusted with the rest of the stream.
 */
public final class TvsFrameException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Reason {
        BAD_PROTOCOL_ID,
        BAD_VERSION,
        UNKNOWN_COMMAND,
        OVERSIZED_FRAME,
        TRUNCATED_ELEMENT,
        /** The stream ended inside a frame. */
        TRUNCATED_FRAME,
        /** A known element with a value of the wrong shape (e.g. a 2-byte STATUS). */
        BAD_ELEMENT
    }

    private final Reason reason;

    public TvsFrameException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
