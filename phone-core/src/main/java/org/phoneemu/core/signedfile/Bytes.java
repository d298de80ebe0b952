package org.phoneemu.core.signedfile;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string: a value type for TLV values, serials, hashes. */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    public static Bytes copyOf(byte[] data) {
        return new Bytes(data.clone());
    }

    public static Bytes copyOf(byte[] data, int from, int length) {
        return new Bytes(Arrays.copyOfRange(data, from, from + length));
    }

    public static Bytes fromHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    public byte[] toArray() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    public int get(int i) {
        return data[i] & 0xff;
    }

    public boolean isEmpty() {
        return data.length == 0;
    }

    public String hex() {
        return HexFormat.of().formatHex(data);
    }

    /** The value read as a NUL-terminated string (the NUL and anything after it dropped). */
    public String asCString() {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The value as an unsigned big-endian integer (up to 4 bytes). */
    public long asUnsigned() {
        long v = 0;
        for (byte b : data) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return hex();
    }
}
