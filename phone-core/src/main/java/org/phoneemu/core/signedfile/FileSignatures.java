package org.phoneemu.core.signedfile;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Checks RSA PKCS#1 v1.5 signatures over the signed bytes of a file (the file minus its tag-12 TLV); the builder signs. */
final class FileSignatures {
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
}
