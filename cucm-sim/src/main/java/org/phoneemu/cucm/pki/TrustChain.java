package org.phoneemu.cucm.pki;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Optional;

/**
 * Whether a certificate a device presents chains to a root of a trust store, as CUCM judges a MIC: the registrar
 * against CallManager-trust, CAPF against CAPF-trust. The one place for that rule: both call it with their store.
 * One level: the certificate is the root itself, or is signed by a CA certificate of the store whose subject is its
 * issuer; both valid now. A self-signed certificate is not accepted unless the store holds that very certificate.
 */
public final class TrustChain {
    private TrustChain() {
    }

    /** The root of {@code store} that {@code cert} chains to, or empty. */
    public static Optional<X509Certificate> root(X509Certificate cert, Collection<X509Certificate> store, Instant now) {
        Date at = Date.from(now);
        if (!validAt(cert, at)) {
            return Optional.empty();
        }
        for (X509Certificate root : store) {
            if (root.equals(cert)) {
                return Optional.of(root);
            }
            if (root.getBasicConstraints() >= 0 && root.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                    && !cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && validAt(root, at) && signedBy(cert, root)) {
                return Optional.of(root);
            }
        }
        return Optional.empty();
    }

    /** As {@link #root}: does it chain to one? */
    public static boolean chains(X509Certificate cert, Collection<X509Certificate> store, Instant now) {
        return root(cert, store, now).isPresent();
    }

    private static boolean validAt(X509Certificate c, Date at) {
        try {
            c.checkValidity(at);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
