package org.phoneemu.capf.wire;

import java.util.Optional;

/** The REASON element's codes, as the independent CAPF implementation numbers them (docs/CAPF.md §1). */
public enum CapfReason {
    /** END_SESSION: there was nothing to do (no operation pending, or after a fetch). */
    NO_ACTION(0, "nothing to do"),
    /** Success: in AUTH_RESPONSE, the phone's answers, and END_SESSION after an install or delete. */
    SUCCESS(1, "success"),
    /** Something in the session was refused: a wrong authentication, a bad key, a malformed or unexpected message. */
    INVALID_ELEMENT(7, "invalid element"),
    /** The device name is not one the cluster knows. */
    UNKNOWN_DEVICE(9, "unknown device");

    private final int code;
    private final String text;

    CapfReason(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    public static Optional<CapfReason> of(int code) {
        for (CapfReason r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** "unknown device (9)", or "reason 42" for a code this project does not know. */
    public static String describe(int code) {
        return of(code).map(r -> r.text + " (" + code + ")").orElse("reason " + code);
    }
}
