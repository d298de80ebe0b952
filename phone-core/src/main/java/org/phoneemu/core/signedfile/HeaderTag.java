package org.phoneemu.core.signedfile;

/**
 * The tags of the signed-file header (docs/FORMATS.md §1 and §3), with the label CUCM's {@code show itl} prints.
 * Labels keep CUCM's own spelling ({@code DIGESTALGORTITHM}): engineers compare the output line by line.
 */
public enum HeaderTag {
    VERSION(1, "VERSION", Kind.FIXED, 2),
    HEADER_LENGTH(2, "HEADERLENGTH", Kind.FIXED, 2),
    SIGNER_INFO(3, "SIGNERID", Kind.CONTAINER, -1),
    SIGNER_NAME(4, "SIGNERNAME", Kind.VARIABLE, -1),
    SERIAL_NUMBER(5, "SERIALNUMBER", Kind.VARIABLE, -1),
    ISSUER_NAME(6, "CANAME", Kind.VARIABLE, -1),
    SIGNATURE_INFO(7, "SIGNATUREINFO", Kind.CONTAINER, -1),
    HASH_ALGORITHM(8, "DIGESTALGORTITHM", Kind.FIXED, 1),
    SIGNATURE_ALGORITHM_INFO(9, "SIGNATUREALGOINFO", Kind.CONTAINER, -1),
    SIGNATURE_ALGORITHM(10, "SIGNATUREALGORTITHM", Kind.FIXED, 1),
    SIGNATURE_MODULUS(11, "SIGNATUREMODULUS", Kind.FIXED, 1),
    SIGNATURE(12, "SIGNATURE", Kind.VARIABLE, -1),
    PADDING(13, "PADDING", Kind.PADDING, 0),
    FILENAME(14, "FILENAME", Kind.VARIABLE, -1),
    TIMESTAMP(15, "TIMESTAMP", Kind.FIXED, 4),
    ENCRYPTION_INFO(16, "ENCRYPTIONINFO", Kind.CONTAINER, -1),
    IV_INFO(17, "IVINFO", Kind.CONTAINER, -1),
    IV_ALGORITHM(18, "IVALGORITHM", Kind.FIXED, 1),
    IV(19, "IV", Kind.FIXED, 16),
    PAD_COUNT(20, "PADCOUNT", Kind.FIXED, 2),
    KEY_INFO(21, "KEYINFO", Kind.CONTAINER, -1),
    KEY_ALGORITHM(22, "KEYALGORITHM", Kind.FIXED, 1),
    WRAPPED_KEY_BITS(23, "WRAPPEDKEYSIZE", Kind.FIXED, 2),
    CIPHER(24, "CIPHER", Kind.FIXED, 1),
    WRAPPED_KEY(25, "WRAPPEDKEY", Kind.VARIABLE, -1),
    PLAINTEXT_HASH_ALGORITHM(26, "HASHALGORITHM", Kind.FIXED, 1),
    PLAINTEXT_HASH(27, "HASH", Kind.VARIABLE, -1),
    SIGNER_VERSION(28, "SIGNERVERSION", Kind.FIXED, 2);

    /** How a tag is laid out on the wire. */
    public enum Kind {
        /** Tag, u16 length, value of exactly {@link HeaderTag#fixedLength()} bytes. */
        FIXED,
        /** Tag, u16 length, value of any length. */
        VARIABLE,
        /** Tag, u16 length; the children follow inline and the length is their total size. */
        CONTAINER,
        /** A single byte, no length field. */
        PADDING
    }

    private static final HeaderTag[] BY_CODE = new HeaderTag[256];

    static {
        for (HeaderTag t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final String label;
    private final Kind kind;
    private final int fixedLength;

    HeaderTag(int code, String label, Kind kind, int fixedLength) {
        this.code = code;
        this.label = label;
        this.kind = kind;
        this.fixedLength = fixedLength;
    }

    public int code() {
        return code;
    }

    /** The label CUCM prints in {@code show itl}. */
    public String label() {
        return label;
    }

    public Kind kind() {
        return kind;
    }

    public int fixedLength() {
        return fixedLength;
    }

    public boolean isContainer() {
        return kind == Kind.CONTAINER;
    }

    /** The tag with this code, or {@code null} when the code is not a header tag. */
    public static HeaderTag of(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}
