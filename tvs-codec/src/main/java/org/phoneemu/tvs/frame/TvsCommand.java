package org.phoneemu.tvs.frame;

import java.util.Optional;

/** Byte 2 of a TVS header (docs/TVS.md §1). */
public enum TvsCommand {
    VERIFY_REQUEST(1),
    VERIFY_RESPONSE(2),
    QUERY_REQUEST(3),
    QUERY_RESPONSE(4);

    private final int code;

    TvsCommand(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isRequest() {
        return this == VERIFY_REQUEST || this == QUERY_REQUEST;
    }

    /** The response command that answers this request (a response answers itself). */
    public TvsCommand response() {
        return switch (this) {
            case VERIFY_REQUEST, VERIFY_RESPONSE -> VERIFY_RESPONSE;
            case QUERY_REQUEST, QUERY_RESPONSE -> QUERY_RESPONSE;
        };
    }

    public static Optional<TvsCommand> of(int code) {
        for (TvsCommand c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
