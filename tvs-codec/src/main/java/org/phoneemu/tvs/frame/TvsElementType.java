package org.phoneemu.tvs.frame;

import java.util.Optional;

/**
 * Element types of a TVS frame. 1, 2, 7, 8 and 9 are the wire format (docs/TVS.md §1). 3, 4 and 5 (the QUERY keys) are this
 * project's choice, mirroring the trust-list tags for the same fields: the public descriptions name the keys but not their numbers.
 * Any other type is kept by number ({@link TvsElement#type()}).
 */
public enum TvsElementType {
    /** One byte {@code 0x01}, then ASCII {@code CP-<model>-SEP<MAC>}, no NUL. */
    DEVICE_NAME(1),
    /** A DER certificate. */
    CERTIFICATE(2),
    /** QUERY key: the subject name, ASCII, no NUL. */
    SUBJECT_NAME(3),
    /** QUERY key: the issuer name, ASCII, no NUL. */
    ISSUER_NAME(4),
    /** QUERY key: the serial number, raw bytes. */
    SERIAL_NUMBER(5),
    /** One byte: 0 valid, anything else invalid. */
    STATUS(7),
    /** One byte per role, the role codes of the trust lists. */
    ROLES(8),
    /** {@code u32} seconds the phone may cache the verdict. */
    TTL(9);

    private final int code;

    TvsElementType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<TvsElementType> of(int code) {
        for (TvsElementType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
