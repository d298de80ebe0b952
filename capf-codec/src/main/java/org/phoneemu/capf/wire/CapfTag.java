package org.phoneemu.capf.wire;

/**
 * Element tags. 1, 3, 4, 7, 9, 10 and 13 are seen on the wire; 11 (key type) and 12 (authentication string) are
 * this project's numbering (docs/CAPF.md §1). Unknown tags are kept by number and ignored by both ends.
 */
public final class CapfTag {
    /** 1 byte: a {@link CapfReason} code. */
    public static final int REASON = 0x01;
    /** 1 byte: 1 = LSC (in STORE_CERT_REQUEST). */
    public static final int CERT_TYPE = 0x03;
    /** A certificate package: nested element 1 = two bytes {@code 00 01}, then the DER certificate. */
    public static final int CERTIFICATE = 0x04;
    /** 1 byte: in AUTH_REQUEST a mask of accepted ways (1 certificate, 2 string); in AUTH_RESPONSE the way used. */
    public static final int AUTH_TYPE = 0x07;
    /** SubjectPublicKeyInfo, DER. */
    public static final int PUBLIC_KEY = 0x09;
    /** u16: RSA modulus bits, or the EC curve size (256, 384, 521). */
    public static final int KEY_SIZE = 0x0a;
    /** 1 byte: 0 RSA (also when absent), 1 EC. */
    public static final int KEY_TYPE = 0x0b;
    /** ASCII digits, NUL-terminated: the CAPF authentication string typed on the phone. */
    public static final int AUTH_STRING = 0x0c;
    /** ASCII, NUL-terminated: {@code SEP<MAC>}. */
    public static final int DEVICE_NAME = 0x0d;

    public static final int AUTH_BY_CERTIFICATE = 1;
    public static final int AUTH_BY_STRING = 2;

    private CapfTag() {
    }
}
