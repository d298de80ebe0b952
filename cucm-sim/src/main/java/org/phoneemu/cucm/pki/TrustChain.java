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
 * One level: the certificate is an end entity (no basicConstraints, or CA:false), signed by a certificate of the store
 * that may issue certificates (CA:true, and keyCertSign when it has a keyUsage) whose subject is its issuer; both valid
 * now. A certificate is never its own authority: a self-signed one, or one the store holds itself, is refused.
 */
public final class TrustChain {
    private TrustChain() {
    }

    /** The root of {@code store} that {@code cert} chains to, or empty. */
    public static Optional<X509Certificate> root(X509Certificate cert, Collection<X509Certificate> store, Instant now) {
        Date at = Date.from(now);
        if (!validAt(cert, at) || cert.getBasicConstraints() >= 0
                || cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return Optional.empty();
        }
        for (X509Certificate root : store) {
            if (!root.equals(cert) && mayIssue(root) && root.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                    && validAt(root, at) && signedBy(cert, root)) {
                return Optional.of(root);
            }
        }
        return Optional.empty();
    }

    /** As {@link #root}: does it chain to one? */
    public static boolean chains(X509Certificate cert, Collection<X509Certificate> store, Instant now) {
        return root(cert, store, now).isPresent();
    }

    /** CA:true, and keyCertSign (bit 5) if it restricts its key's use. */
    private static boolean mayIssue(X509Certificate c) {
        boolean[] usage = c.getKeyUsage();
        return c.getBasicConstraints() >= 0 && (usage == null || usage.length > 5 && usage[5]);
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
