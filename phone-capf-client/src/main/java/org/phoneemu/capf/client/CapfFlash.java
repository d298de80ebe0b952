package org.phoneemu.capf.client;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.flash.Flash;

/**
 * What a CAPF session changes on the phone. The client calls these on its worker executor, never on an event
 * loop (they write to disk).
 */
public interface CapfFlash {
    /** The certificate the phone would show CAPF (troubleshoot): its LSC, else its MIC. */
    Optional<X509Certificate> currentCertificate();

    /** Writes the LSC and its key atomically. */
    void installLsc(KeyMaterial lsc) throws IOException;

    void deleteLsc() throws IOException;

    /** The phone's flash. */
    static CapfFlash of(Flash store) {
        return new CapfFlash() {
            @Override
            public Optional<X509Certificate> currentCertificate() {
                return store.identity().map(PhoneIdentity::active).map(KeyMaterial::certificate);
            }

            @Override
            public void installLsc(KeyMaterial lsc) throws IOException {
                store.saveLsc(lsc);
            }

            @Override
            public void deleteLsc() throws IOException {
                store.deleteLsc();
            }
        };
    }
}
