package org.phoneemu.capf.wire;

/**
 * Element tags and the values of the one-byte elements, as the independent CAPF implementation numbers them
 * (docs/CAPF.md §1). Tags a side does not use are kept by number and skipped: real servers add elements.
 */
public final class CapfTag {
    /** 1 byte: a {@link CapfReason} code. */
    public static final int REASON = 1;
    /** Text, NUL-terminated. */
    public static final int REASON_INFO = 2;
    /** 1 byte: {@link #CERTIFICATE_LSC} or {@link #CERTIFICATE_MIC}. */
    public static final int CERTIFICATE_TYPE = 3;
    /** A nested element: tag 1, u16 length, one byte 0, one byte certificate type, then the DER certificate. */
    public static final int CERTIFICATE = 4;
    public static final int CERTIFICATE_ID = 5;
    /** Authentication by certificate, the SHA-1 proof (docs/CAPF.md §1). */
    public static final int SIGNED_DATA = 6;
    /** 1 byte: the protocol version; the server sends {@link CapfMessage#PROTOCOL_VERSION}, the phone echoes it. */
    public static final int VERSION = 7;
    /** 1 byte: {@link #AUTH_NONE} … {@link #AUTH_MIC}. */
    public static final int AUTH_TYPE = 8;
    /** SubjectPublicKeyInfo, DER. */
    public static final int PUBLIC_KEY = 9;
    /** u16: RSA modulus bits. */
    public static final int KEY_SIZE = 10;
    /** The authentication string, NUL-terminated; just the NUL when there is none. */
    public static final int PASSWORD = 11;
    /** u16: seconds (RETRY_LATER). The width is this project's guess (docs/CAPF.md §5). */
    public static final int RETRY_DELAY = 12;
    /** ASCII {@code SEP<MAC>}, NUL-terminated. */
    public static final int DEVICE_NAME = 13;
    public static final int SUDI_DATA = 16;
    /** 1 byte: {@link #KEY_RSA} or {@link #KEY_EC}. */
    public static final int KEY_TYPE = 17;
    /** 1 byte: {@link #CURVE_P256}, {@link #CURVE_P384}, {@link #CURVE_P521}. */
    public static final int CURVE = 18;
    public static final int DIGEST_TYPE = 19;
    /** Authentication by certificate, the SHA-2 proof: hash algorithm (1 byte), u16 length, signature. */
    public static final int SHA2_SIGNED_DATA = 20;

    public static final int AUTH_NONE = 0;
    public static final int AUTH_STRING = 1;
    public static final int AUTH_NULL_STRING = 2;
    public static final int AUTH_LSC = 3;
    public static final int AUTH_MIC = 4;

    public static final int CERTIFICATE_LSC = 1;
    public static final int CERTIFICATE_MIC = 2;

    public static final int KEY_RSA = 0;
    public static final int KEY_EC = 1;

    public static final int CURVE_P256 = 0;
    public static final int CURVE_P384 = 1;
    public static final int CURVE_P521 = 2;

    public static final int HASH_SHA1 = 1;
    public static final int HASH_SHA256 = 2;
    public static final int HASH_SHA512 = 3;

    private CapfTag() {
    }

    /** The curve code of a curve size (256, 384, 521), or -1. */
    public static int curveOf(int bits) {
        return switch (bits) {
            case 256 -> CURVE_P256;
            case 384 -> CURVE_P384;
            case 521 -> CURVE_P521;
            default -> -1;
        };
    }

    /** The curve size (256, 384, 521) of a curve code, or -1. */
    public static int curveBits(int code) {
        return switch (code) {
            case CURVE_P256 -> 256;
            case CURVE_P384 -> 384;
            case CURVE_P521 -> 521;
            default -> -1;
        };
    }
}
