package org.phoneemu.tvs.frame;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** One TLV element of a TVS frame: type {@code u8}, length {@code u16}, value. Immutable. */
public final class TvsElement {
    /** Type byte, length {@code u16}. */
    public static final int HEADER_LENGTH = 3;
    public static final int MAX_VALUE_LENGTH = 0xffff;

    private final int type;
    private final byte[] value;

    public TvsElement(int type, byte[] value) {
        if (type < 0 || type > 0xff) {
            throw new IllegalArgumentException("element type out of range: " + type);
        }
        if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("element value too long: " + value.length + " bytes");
        }
        this.type = type;
        this.value = value.clone();
    }

    public TvsElement(TvsElementType type, byte[] value) {
        this(type.code(), value);
    }

    /** The type byte, known or not. */
    public int type() {
        return type;
    }

    public Optional<TvsElementType> knownType() {
        return TvsElementType.of(type);
    }

    public boolean is(TvsElementType t) {
        return type == t.code();
    }

    public byte[] value() {
        return value.clone();
    }

    public int valueLength() {
        return value.length;
    }

    /** Bytes this element takes on the wire. */
    public int encodedLength() {
        return HEADER_LENGTH + value.length;
    }

    byte[] rawValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TvsElement e && e.type == type && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        String name = knownType().map(Enum::name).orElse("TYPE_" + type);
        String shown = value.length <= 16 ? HexFormat.of().formatHex(value) : value.length + " bytes";
        return name + "(" + shown + ")";
    }
}
