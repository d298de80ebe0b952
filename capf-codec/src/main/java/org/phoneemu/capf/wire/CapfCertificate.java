package org.phoneemu.capf.wire;

import java.util.Arrays;

/** The value of a CERTIFICATE element: the certificate's type ({@link CapfTag#CERTIFICATE_LSC} or MIC) and its DER. */
public record CapfCertificate(int type, byte[] der) {
    public CapfCertificate {
        if (type < 0 || type > 0xff) {
            throw new IllegalArgumentException("certificate type outside u8: " + type);
        }
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /** The element value: tag 1, u16 length, byte 0, the type, the DER. */
    byte[] encode() {
        int len = 2 + der.length;
        if (3 + len > CapfElement.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("certificate too long for one element: " + der.length + " bytes");
        }
        byte[] v = new byte[3 + len];
        v[0] = 1;
        v[1] = (byte) (len >> 8);
        v[2] = (byte) len;
        v[3] = 0;
        v[4] = (byte) type;
        System.arraycopy(der, 0, v, 5, der.length);
        return v;
    }

    /** Why {@code v} is not a CERTIFICATE value of the expected shape, or null when it is. */
    static String problem(byte[] v) {
        if (v.length < 5 || v[0] != 1) {
            return "CERTIFICATE must hold a nested element 1 of at least 2 bytes";
        }
        int len = ((v[1] & 0xff) << 8) | (v[2] & 0xff);
        if (3 + len != v.length) {
            return "CERTIFICATE's nested element says " + len + " bytes, holds " + (v.length - 3);
        }
        if (v[3] != 0) {
            return String.format("CERTIFICATE's nested element starts with 0x%02x, expected 0", v[3] & 0xff);
        }
        return null;
    }

    static CapfCertificate decode(byte[] v) {
        return new CapfCertificate(v[4] & 0xff, Arrays.copyOfRange(v, 5, v.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapfCertificate c && c.type == type && Arrays.equals(c.der, der);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "CapfCertificate[type " + type + ", " + der.length + " bytes]";
    }
}
