package org.phoneemu.core.capf;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

/**
 * The proof of a phone that authenticates to CAPF by certificate (docs/CAPF.md §1): over {@code device name + NUL +
 * certificate DER}, SIGNED_DATA is the RSA private-key operation on the PKCS#1 v1.5 type-1 padded bare SHA-1 digest
 * (no DigestInfo) and SHA2_SIGNED_DATA the same over the SHA-512 digest; for an EC key both are ECDSA signatures
 * (DER) with SHA-1 and SHA-512. The server checks both.
 */
public final class CapfSignedData {
    /** The two signatures. */
    public record Signatures(byte[] sha1, byte[] sha512) {
    }

    private CapfSignedData() {
    }

    /** {@code device name + NUL + certificate DER}: what both signatures cover. */
    public static byte[] signedBytes(String deviceName, byte[] certificateDer) {
        byte[] name = deviceName.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[name.length + 1 + certificateDer.length];
        System.arraycopy(name, 0, out, 0, name.length);
        System.arraycopy(certificateDer, 0, out, name.length + 1, certificateDer.length);
        return out;
    }

    public static Signatures sign(String deviceName, byte[] certificateDer, PrivateKey key) {
        byte[] data = signedBytes(deviceName, certificateDer);
        try {
            if (key instanceof RSAKey) {
                return new Signatures(rsaOnDigest(key, "SHA-1", data), rsaOnDigest(key, "SHA-512", data));
            }
            if (key instanceof ECKey) {
                return new Signatures(ecdsa(key, "SHA1withECDSA", data), ecdsa(key, "SHA512withECDSA", data));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the CAPF proof: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("a CAPF proof needs an RSA or EC key, not " + key.getAlgorithm());
    }

    /** Do both signatures verify with {@code key} (the certificate's) over the device name and certificate? */
    public static boolean verify(String deviceName, byte[] certificateDer, PublicKey key, byte[] sha1, byte[] sha512) {
        byte[] data = signedBytes(deviceName, certificateDer);
        try {
            if (key instanceof RSAKey) {
                return rsaVerify(key, "SHA-1", data, sha1) && rsaVerify(key, "SHA-512", data, sha512);
            }
            if (key instanceof ECKey) {
                return ecdsaVerify(key, "SHA1withECDSA", data, sha1) && ecdsaVerify(key, "SHA512withECDSA", data, sha512);
            }
            return false;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    // NONEwithRSA pads the bytes given (the bare digest) with PKCS#1 v1.5 type 1 and applies the private key: no
    // DigestInfo, which is what the phones send. Verifying checks the whole padded block, not only its tail.
    private static byte[] rsaOnDigest(PrivateKey key, String digest, byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance("NONEwithRSA");
        s.initSign(key);
        s.update(MessageDigest.getInstance(digest).digest(data));
        return s.sign();
    }

    private static boolean rsaVerify(PublicKey key, String digest, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance("NONEwithRSA");
        s.initVerify(key);
        s.update(MessageDigest.getInstance(digest).digest(data));
        return s.verify(signature);
    }

    private static byte[] ecdsa(PrivateKey key, String alg, byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance(alg);
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    private static boolean ecdsaVerify(PublicKey key, String alg, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance(alg);
        s.initVerify(key);
        s.update(data);
        return s.verify(signature);
    }
}
