package org.phoneemu.core.encryption;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.signedfile.Bytes;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.signedfile.EncryptionInfo;
import org.phoneemu.core.signedfile.FormatVersion;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.signedfile.internal.SignedFileBuilder;

/**
 * Encrypted configuration files (docs/FORMATS.md §3): AES-128-CBC over the XML padded with {@code 0x0D}, the AES
 * key wrapped with RSA PKCS#1 v1.5 to the phone's certificate, a hash of the plaintext in the header.
 */
public final class EncryptedConfig {
    private static final byte PAD = 0x0D;

    private EncryptedConfig() {
    }

    /** Unwraps, decrypts, strips the padding and checks the plaintext hash. */
    public static byte[] decrypt(SignedFile file, PrivateKey phoneKey) throws DecryptionException {
        EncryptionInfo info = file.encryption().orElseThrow(() ->
                new DecryptionException(DecryptionException.Reason.NOT_ENCRYPTED, "the file carries no encryption fields (tags 16-27)"));
        if (info.cipher() != EncryptionInfo.CIPHER_AES_128) {
            throw new DecryptionException(DecryptionException.Reason.UNSUPPORTED_CIPHER, "unsupported cipher code " + info.cipher());
        }
        byte[] aesKey;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, phoneKey);
            aesKey = rsa.doFinal(info.wrappedKey().toArray());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DecryptionException(DecryptionException.Reason.WRONG_KEY,
                    "cannot unwrap the AES key with this private key: the file is encrypted to another certificate");
        }
        if (aesKey.length != 16) {
            throw new DecryptionException(DecryptionException.Reason.WRONG_KEY,
                    "unwrapped key is " + aesKey.length + " bytes, not an AES-128 key: the file is encrypted to another certificate");
        }
        if (info.iv().length() != 16) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED_CIPHERTEXT, "IV must be 16 bytes");
        }
        byte[] body = file.body();
        if (body.length == 0 || body.length % 16 != 0) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED_CIPHERTEXT,
                    "ciphertext of " + body.length + " bytes is not a whole number of AES blocks");
        }
        byte[] padded;
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(info.iv().toArray()));
            padded = aes.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED_CIPHERTEXT, "AES decryption failed: " + e.getMessage());
        }
        int pad = info.padCount();
        if (pad < 1 || pad > 16 || pad > padded.length) {
            throw new DecryptionException(DecryptionException.Reason.BAD_PADDING, "pad count " + pad + " is outside 1..16");
        }
        for (int i = padded.length - pad; i < padded.length; i++) {
            if (padded[i] != PAD) {
                throw new DecryptionException(DecryptionException.Reason.BAD_PADDING,
                        "decrypted text does not end in " + pad + " bytes of 0x0D padding");
            }
        }
        byte[] plain = Arrays.copyOf(padded, padded.length - pad);
        byte[] hash = info.plaintextHashAlgorithm().digest(plain);
        if (!MessageDigest.isEqual(hash, info.plaintextHash().toArray())) {
            throw new DecryptionException(DecryptionException.Reason.HASH_MISMATCH,
                    "decrypted configuration does not match its " + info.plaintextHashAlgorithm().displayName() + " hash");
        }
        return plain;
    }

    /** Encrypts {@code xml} to {@code phoneCert} and signs the {@code .enc.sgn} with {@code signer}. */
    public static byte[] encrypt(byte[] xml, X509Certificate phoneCert, KeyMaterial signer, String filename, long timestamp,
                                 NameStyle style, DigestAlgorithm digest, SecureRandom random) {
        try {
            byte[] aesKey = new byte[16];
            byte[] iv = new byte[16];
            random.nextBytes(aesKey);
            random.nextBytes(iv);
            int pad = 16 - (xml.length % 16);
            byte[] padded = Arrays.copyOf(xml, xml.length + pad);
            Arrays.fill(padded, xml.length, padded.length, PAD);
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            byte[] ciphertext = aes.doFinal(padded);
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, phoneCert.getPublicKey(), random);
            byte[] wrapped = rsa.doFinal(aesKey);
            int bits = ((RSAKey) phoneCert.getPublicKey()).getModulus().bitLength();
            EncryptionInfo info = new EncryptionInfo(0, Bytes.copyOf(iv), pad, 0, bits, EncryptionInfo.CIPHER_AES_128,
                    Bytes.copyOf(wrapped), DigestAlgorithm.SHA1, Bytes.copyOf(DigestAlgorithm.SHA1.digest(xml)));
            return signedBuilder(signer, style, digest, filename, timestamp)
                    .version(FormatVersion.ENCRYPTED_CONFIG)
                    .encryption(info)
                    .body(ciphertext)
                    .build();
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("cannot encrypt to this certificate: " + e.getMessage(), e);
        }
    }

    /** Signs a plain configuration as {@code .sgn} (version 1.0). */
    public static byte[] sign(byte[] xml, KeyMaterial signer, String filename, long timestamp, NameStyle style,
                              DigestAlgorithm digest) {
        return signedBuilder(signer, style, digest, filename, timestamp).version(FormatVersion.SIGNED_CONFIG).body(xml).build();
    }

    private static SignedFileBuilder signedBuilder(KeyMaterial signer, NameStyle style, DigestAlgorithm digest,
                                                   String filename, long timestamp) {
        X509Certificate cert = signer.certificate();
        return new SignedFileBuilder()
                .signer(DistinguishedNames.format(cert.getSubjectX500Principal(), style),
                        DistinguishedNames.format(cert.getIssuerX500Principal(), style),
                        Certificates.serialBytes(cert.getSerialNumber()))
                .signingKey(signer.privateKey())
                .digest(digest)
                .filename(filename)
                .timestamp(timestamp);
    }

    /**
     * The stub {@code SEP<MAC>.cnf.xml.sgn} body published beside an {@code .enc.sgn}: {@code fullConfig}
     * false, the copied fields, the phone certificate's MD5 and {@code encrConfig} true.
     *
     * @param copiedElements XML elements copied from the full config (loadInformation, ipAddressMode, capfAuthMode, capfList)
     */
    public static String stubXml(X509Certificate phoneCert, String copiedElements) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n  <fullConfig>false</fullConfig>\n"
                + copiedElements
                + "  <certHash>" + Certificates.md5Hex(phoneCert) + "</certHash>\n"
                + "  <encrConfig>true</encrConfig>\n</device>\n";
    }
}
