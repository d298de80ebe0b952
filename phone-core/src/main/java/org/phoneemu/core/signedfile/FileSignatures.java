package org.phoneemu.core.signedfile;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** RSA PKCS#1 v1.5 signatures over the signed bytes of a file (the file minus its tag-12 TLV). */
public final class FileSignatures {
    private FileSignatures() {
    }

    static boolean verify(SignedFile file, PublicKey key) {
        if (key == null || !"RSA".equals(key.getAlgorithm())) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(file.digest().rsaSignatureName());
            verifier.initVerify(key);
            byte[] raw = file.rawUnsafe();
            int cut = file.signatureOffset();
            int after = cut + 3 + file.signature().length();
            verifier.update(raw, 0, cut);
            verifier.update(raw, after, raw.length - after);
            return verifier.verify(file.signature().toArray());
        } catch (GeneralSecurityException | RuntimeException e) {
            // A key of the wrong size or a garbled signature is a failed check, not a crash.
            return false;
        }
    }

    /** Signs {@code data} with {@code key}: used by builders. */
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
}
