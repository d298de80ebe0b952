package org.phoneemu.core.signedfile.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.util.Objects;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.signedfile.EncryptionInfo;
import org.phoneemu.core.signedfile.FormatVersion;
import org.phoneemu.core.signedfile.HeaderTag;
import org.phoneemu.core.signedfile.SignedFile;

/**
 * Builds a signed file: header TLVs in CUCM's order (1, 2, [28], 3{4,5,6}, 7{8,9{10,11}}, 12, 14, 15,
 * [16{17{18,19,20},21{22,23,24,25}},26,27], padding to a multiple of 4), then the body; signs the file
 * with the tag-12 TLV cut out.
 */
public final class SignedFileBuilder {
    private FormatVersion version = FormatVersion.TRUST_LIST;
    private FormatVersion signerVersion;
    private String signerName;
    private String issuerName;
    private byte[] serial;
    private PrivateKey key;
    private DigestAlgorithm digest = DigestAlgorithm.SHA1;
    private String filename;
    private Long timestamp;
    private EncryptionInfo encryption;
    private byte[] body = new byte[0];

    public SignedFileBuilder version(FormatVersion version) {
        this.version = Objects.requireNonNull(version);
        return this;
    }

    /** Adds tag 28; {@code null} leaves it out as older CUCM versions do. */
    public SignedFileBuilder signerVersion(FormatVersion signerVersion) {
        this.signerVersion = signerVersion;
        return this;
    }

    /** The signing certificate's subject, issuer (as strings in the chosen name style) and raw serial. */
    public SignedFileBuilder signer(String name, String issuer, byte[] serial) {
        this.signerName = Objects.requireNonNull(name);
        this.issuerName = Objects.requireNonNull(issuer);
        this.serial = serial.clone();
        return this;
    }

    public SignedFileBuilder signingKey(PrivateKey key) {
        this.key = Objects.requireNonNull(key);
        return this;
    }

    public SignedFileBuilder digest(DigestAlgorithm digest) {
        this.digest = Objects.requireNonNull(digest);
        return this;
    }

    public SignedFileBuilder filename(String filename) {
        this.filename = filename;
        return this;
    }

    public SignedFileBuilder timestamp(long epochSeconds) {
        this.timestamp = epochSeconds;
        return this;
    }

    public SignedFileBuilder encryption(EncryptionInfo encryption) {
        this.encryption = encryption;
        return this;
    }

    public SignedFileBuilder body(byte[] body) {
        this.body = body.clone();
        return this;
    }

    /** The file's bytes. */
    public byte[] build() {
        if (key == null || signerName == null) {
            throw new IllegalStateException("a signed file needs a signer and a signing key");
        }
        int signatureSize = signatureSize(key);
        Tlv before = beforeSignature(SignedFile.modulusIndex(signatureSize));
        Tlv after = afterSignature();
        int unpadded = before.size() + 3 + signatureSize + after.size();
        int headerLength = (unpadded + 3) & ~3;
        if (headerLength > 0xffff) {
            throw new IllegalStateException("header of " + headerLength + " bytes does not fit a u16 length");
        }
        for (int i = unpadded; i < headerLength; i++) {
            after.padding();
        }
        byte[] head = before.bytes();
        head[8] = (byte) (headerLength >> 8);
        head[9] = (byte) headerLength;
        return signed(head, after.bytes());
    }

    /** The header up to the signature: version, header length (patched once known), signer and signature info. */
    private Tlv beforeSignature(int modulusIndex) {
        Tlv before = new Tlv();
        before.fixed(HeaderTag.VERSION, version.major(), version.minor());
        before.u16(HeaderTag.HEADER_LENGTH, 0); // patched in build
        if (signerVersion != null) {
            before.fixed(HeaderTag.SIGNER_VERSION, signerVersion.major(), signerVersion.minor());
        }
        byte[] name = cString(signerName);
        byte[] issuer = cString(issuerName);
        before.container(HeaderTag.SIGNER_INFO, (3 + name.length) + (3 + serial.length) + (3 + issuer.length));
        before.value(HeaderTag.SIGNER_NAME, name);
        before.value(HeaderTag.SERIAL_NUMBER, serial);
        before.value(HeaderTag.ISSUER_NAME, issuer);
        before.container(HeaderTag.SIGNATURE_INFO, 15);
        before.fixed(HeaderTag.HASH_ALGORITHM, digest.code());
        before.container(HeaderTag.SIGNATURE_ALGORITHM_INFO, 8);
        before.fixed(HeaderTag.SIGNATURE_ALGORITHM, 0);
        before.fixed(HeaderTag.SIGNATURE_MODULUS, modulusIndex);
        return before;
    }

    /** The header after the signature, without its padding: file name, time stamp, encryption info. */
    private Tlv afterSignature() {
        Tlv after = new Tlv();
        if (filename != null) {
            after.value(HeaderTag.FILENAME, cString(filename));
        }
        if (timestamp != null) {
            after.u32(HeaderTag.TIMESTAMP, timestamp);
        }
        if (encryption != null) {
            writeEncryption(after, encryption);
        }
        return after;
    }

    /** Signs head, tail and body (the signature TLV cut out), then puts the signature TLV between head and tail. */
    private byte[] signed(byte[] head, byte[] tail) {
        byte[] unsigned = new byte[head.length + tail.length + body.length];
        System.arraycopy(head, 0, unsigned, 0, head.length);
        System.arraycopy(tail, 0, unsigned, head.length, tail.length);
        System.arraycopy(body, 0, unsigned, head.length + tail.length, body.length);
        byte[] signature = sign(unsigned, key, digest);

        byte[] out = new byte[unsigned.length + 3 + signature.length];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = (byte) HeaderTag.SIGNATURE.code();
        out[head.length + 1] = (byte) (signature.length >> 8);
        out[head.length + 2] = (byte) signature.length;
        System.arraycopy(signature, 0, out, head.length + 3, signature.length);
        System.arraycopy(unsigned, head.length, out, head.length + 3 + signature.length, unsigned.length - head.length);
        return out;
    }

    /** Signs {@code data} with {@code key} as a built file is signed (also for re-signing altered bytes). */
    public static byte[] sign(byte[] data, PrivateKey key, DigestAlgorithm digest) {
        try {
            Signature signer = Signature.getInstance(digest.rsaSignatureName());
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    private static void writeEncryption(Tlv out, EncryptionInfo e) {
        byte[] wrapped = e.wrappedKey().toArray();
        int ivInfo = 4 + 3 + e.iv().length() + 5;
        int keyInfo = 4 + 5 + 4 + 3 + wrapped.length;
        out.container(HeaderTag.ENCRYPTION_INFO, 3 + ivInfo + 3 + keyInfo);
        out.container(HeaderTag.IV_INFO, ivInfo);
        out.fixed(HeaderTag.IV_ALGORITHM, e.ivAlgorithm());
        out.value(HeaderTag.IV, e.iv().toArray());
        out.u16(HeaderTag.PAD_COUNT, e.padCount());
        out.container(HeaderTag.KEY_INFO, keyInfo);
        out.fixed(HeaderTag.KEY_ALGORITHM, e.keyAlgorithm());
        out.u16(HeaderTag.WRAPPED_KEY_BITS, e.wrappedKeyBits());
        out.fixed(HeaderTag.CIPHER, e.cipher());
        out.value(HeaderTag.WRAPPED_KEY, wrapped);
        out.fixed(HeaderTag.PLAINTEXT_HASH_ALGORITHM, e.plaintextHashAlgorithm().code());
        out.value(HeaderTag.PLAINTEXT_HASH, e.plaintextHash().toArray());
    }

    static int signatureSize(PrivateKey key) {
        if (!(key instanceof RSAKey rsa)) {
            throw new IllegalArgumentException("files are signed with RSA keys only, not " + key.getAlgorithm());
        }
        return (rsa.getModulus().bitLength() + 7) / 8;
    }

    static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /** A small TLV writer shared by the header and trust-list builders. */
    public static final class Tlv {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Tlv value(int tag, byte[] value) {
            if (value.length > 0xffff) {
                throw new IllegalArgumentException("value of tag " + tag + " is " + value.length + " bytes, over the u16 limit");
            }
            out.write(tag);
            out.write(value.length >> 8);
            out.write(value.length);
            out.writeBytes(value);
            return this;
        }

        Tlv value(HeaderTag tag, byte[] value) {
            return value(tag.code(), value);
        }

        Tlv fixed(HeaderTag tag, int... bytes) {
            byte[] v = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                v[i] = (byte) bytes[i];
            }
            return value(tag, v);
        }

        public Tlv u16(int tag, int v) {
            return value(tag, new byte[] {(byte) (v >> 8), (byte) v});
        }

        Tlv u16(HeaderTag tag, int v) {
            return u16(tag.code(), v);
        }

        Tlv u32(HeaderTag tag, long v) {
            return value(tag, new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
        }

        Tlv container(HeaderTag tag, int length) {
            out.write(tag.code());
            out.write(length >> 8);
            out.write(length);
            return this;
        }

        Tlv padding() {
            out.write(HeaderTag.PADDING.code());
            return this;
        }

        public int size() {
            return out.size();
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }
}
