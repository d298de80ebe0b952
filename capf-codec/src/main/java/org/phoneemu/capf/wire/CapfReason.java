package org.phoneemu.capf.wire;

import java.util.Optional;

/**
 * The REASON element's codes. 1, 7 and 9 are seen from CUCM; the others are this project's numbering
 * (docs/CAPF.md §1).
 */
public enum CapfReason {
    OK(0x01, "success"),
    AUTHENTICATION_FAILED(0x02, "authentication failed"),
    BAD_REQUEST(0x03, "malformed or unexpected message"),
    KEY_REFUSED(0x04, "key type or size not supported"),
    STORE_FAILED(0x05, "certificate could not be stored"),
    TIMEOUT(0x06, "no answer in time"),
    NO_PENDING_OPERATION(0x07, "no certificate operation pending for this device"),
    DEVICE_NOT_FOUND(0x09, "device not found"),
    SERVER_BUSY(0x0b, "server busy");

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

    /** "device not found (9)", or "reason 42" for a code this project does not know. */
    public static String describe(int code) {
        return of(code).map(r -> r.text + " (" + code + ")").orElse("reason " + code);
    }
}
