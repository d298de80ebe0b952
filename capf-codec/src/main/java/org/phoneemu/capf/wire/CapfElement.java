package org.phoneemu.capf.wire;

import java.util.Arrays;

/** One TLV element: tag ({@code u8}), then a {@code u16} length, then the value. */
public record CapfElement(int tag, byte[] value) {
    public static final int MAX_VALUE_LENGTH = 0xffff;

    public CapfElement {
        if (tag < 0 || tag > 0xff) {
            throw new IllegalArgumentException("tag outside u8: " + tag);
        }
        if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("element value longer than 65535 bytes: " + value.length);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    int length() {
        return value.length;
    }

    byte[] raw() {
        return value;
    }

    /** Encoded size: 3 header bytes and the value. */
    public int encodedLength() {
        return 3 + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapfElement e && e.tag == tag && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * tag + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "CapfElement[" + tag + ", " + value.length + " bytes]";
    }
}
