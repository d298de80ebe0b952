package org.phoneemu.capf.wire;

import java.util.Arrays;

/**
 * The value of a SHA2_SIGNED_DATA element: the hash algorithm ({@link CapfTag#HASH_SHA512}), then a u16 length and
 * the signature.
 */
public record CapfSignature(int hashAlgorithm, byte[] signature) {
    public CapfSignature {
        if (hashAlgorithm < 0 || hashAlgorithm > 0xff) {
            throw new IllegalArgumentException("hash algorithm outside u8: " + hashAlgorithm);
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    byte[] encode() {
        byte[] v = new byte[3 + signature.length];
        v[0] = (byte) hashAlgorithm;
        v[1] = (byte) (signature.length >> 8);
        v[2] = (byte) signature.length;
        System.arraycopy(signature, 0, v, 3, signature.length);
        return v;
    }

    static String problem(byte[] v) {
        if (v.length < 3) {
            return "SHA2_SIGNED_DATA shorter than its 3-byte header";
        }
        int len = ((v[1] & 0xff) << 8) | (v[2] & 0xff);
        return 3 + len == v.length ? null : "SHA2_SIGNED_DATA says " + len + " bytes, holds " + (v.length - 3);
    }

    static CapfSignature decode(byte[] v) {
        return new CapfSignature(v[0] & 0xff, Arrays.copyOfRange(v, 3, v.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapfSignature s && s.hashAlgorithm == hashAlgorithm && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return 31 * hashAlgorithm + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "CapfSignature[hash " + hashAlgorithm + ", " + signature.length + " bytes]";
    }
}
