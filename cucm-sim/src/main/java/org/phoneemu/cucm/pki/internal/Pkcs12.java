package org.phoneemu.cucm.pki.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import org.phoneemu.core.pki.KeyMaterial;

/** {@code ITLRecovery.p12}: the recovery key pair in a PKCS#12 file protected by the cluster security password. */
public final class Pkcs12 {
    /** The alias CUCM's ITLRecovery.p12 uses for its single entry. */
    public static final String ALIAS = "itlrecovery";

    private Pkcs12() {
    }

    public static byte[] write(KeyMaterial key, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key.privateKey(), password, new Certificate[] {key.certificate()});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write a PKCS#12 file", e);
        }
    }

    /** The first key entry of a PKCS#12 file; the message of the exception is fit for a user. */
    public static KeyMaterial read(byte[] p12, char[] password) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(new ByteArrayInputStream(p12), password);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot open the PKCS#12 file: wrong password or not a PKCS#12 file", e);
        }
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                Key k = ks.getKey(alias, password);
                Certificate c = ks.getCertificate(alias);
                if (k instanceof PrivateKey pk && c instanceof X509Certificate x) {
                    return new KeyMaterial(pk, x);
                }
            }
        }
        throw new GeneralSecurityException("the PKCS#12 file holds no private key with its certificate");
    }
}
