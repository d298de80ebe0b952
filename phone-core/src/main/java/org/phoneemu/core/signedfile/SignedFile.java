package org.phoneemu.core.signedfile;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed signed file ({@code .tlv}, {@code .sgn}, {@code .enc.sgn}). It keeps the original bytes: their
 * MD5/SHA-1 are what phones and CUCM display, and they are what a phone stores on flash.
 */
public final class SignedFile {
    /** The signature size for each value of tag 11 (SIGNATURE MODULUS). */
    static final int[] MODULUS_SIZES = {64, 128, 256, 512};

    /** The value of tag 11 for an RSA signature of {@code signatureSize} bytes (what a builder writes). */
    public static int modulusIndex(int signatureSize) {
        for (int i = 0; i < MODULUS_SIZES.length; i++) {
            if (MODULUS_SIZES[i] == signatureSize) {
                return i;
            }
        }
        throw new IllegalArgumentException("RSA key of " + signatureSize * 8 + " bits: the format allows 512, 1024, 2048 or 4096");
    }

    private final byte[] raw;
    private final List<HeaderElement> header;
    private final FormatVersion version;
    private final int headerLength;
    private final SignerId signer;
    private final DigestAlgorithm digest;
    private final int signatureAlgorithm;
    private final int signatureOffset;
    private final Bytes signature;
    private final String filename;
    private final Long timestamp;
    private final FormatVersion signerVersion;
    private final EncryptionInfo encryption;

    SignedFile(byte[] raw, List<HeaderElement> header, FormatVersion version, int headerLength, SignerId signer,
               DigestAlgorithm digest, int signatureAlgorithm, int signatureOffset, Bytes signature,
               String filename, Long timestamp, FormatVersion signerVersion, EncryptionInfo encryption) {
        this.raw = raw;
        this.header = List.copyOf(header);
        this.version = version;
        this.headerLength = headerLength;
        this.signer = signer;
        this.digest = digest;
        this.signatureAlgorithm = signatureAlgorithm;
        this.signatureOffset = signatureOffset;
        this.signature = signature;
        this.filename = filename;
        this.timestamp = timestamp;
        this.signerVersion = signerVersion;
        this.encryption = encryption;
    }

    /** Parses {@code bytes}; see {@link SignedFileParser}. */
    public static SignedFile parse(byte[] bytes) throws MalformedFileException {
        return SignedFileParser.parse(bytes);
    }

    /** A copy of the file's bytes exactly as read. */
    public byte[] bytes() {
        return raw.clone();
    }

    public int length() {
        return raw.length;
    }

    public List<HeaderElement> header() {
        return header;
    }

    public FormatVersion version() {
        return version;
    }

    public int headerLength() {
        return headerLength;
    }

    public SignerId signer() {
        return signer;
    }

    public DigestAlgorithm digest() {
        return digest;
    }

    public int signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public Bytes signature() {
        return signature;
    }

    public Optional<String> filename() {
        return Optional.ofNullable(filename);
    }

    public OptionalLong timestamp() {
        return timestamp == null ? OptionalLong.empty() : OptionalLong.of(timestamp);
    }

    public Optional<FormatVersion> signerVersion() {
        return Optional.ofNullable(signerVersion);
    }

    public Optional<EncryptionInfo> encryption() {
        return Optional.ofNullable(encryption);
    }

    /** A copy of everything after the header. */
    public byte[] body() {
        return Arrays.copyOfRange(raw, headerLength, raw.length);
    }

    public int bodyLength() {
        return raw.length - headerLength;
    }

    /** The bytes the signature covers: the whole file with the tag-12 TLV cut out. */
    public byte[] signedBytes() {
        int cut = 3 + signature.length();
        byte[] out = new byte[raw.length - cut];
        System.arraycopy(raw, 0, out, 0, signatureOffset);
        System.arraycopy(raw, signatureOffset + cut, out, signatureOffset, raw.length - signatureOffset - cut);
        return out;
    }

    /** Checks the PKCS#1 v1.5 signature with {@code key}. */
    public boolean verifySignature(PublicKey key) {
        return FileSignatures.verify(this, key);
    }

    public String md5Hex() {
        return hashHex("MD5");
    }

    public String sha1Hex() {
        return hashHex("SHA-1");
    }

    private String hashHex(String algorithm) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Raw access for the package's readers (no copy). */
    byte[] rawUnsafe() {
        return raw;
    }

    int signatureOffset() {
        return signatureOffset;
    }
}
