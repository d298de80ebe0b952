package org.phoneemu.cucm.pki.internal;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a certificate a device presents chains to a certificate of a trust store, as CUCM judges a MIC: the registrar
 * against CallManager-trust, CAPF against CAPF-trust. The one place for that rule: both call it with their store.
 *
 * <p>The device's certificate (first of the chain it presented) is an end entity (no basicConstraints, or CA:false),
 * never self-issued and never its own authority (a copy of it in the store does not count). Each issuer above it, taken
 * from the store or from the rest of the presented chain, may issue certificates (CA:true, keyCertSign when it has a
 * keyUsage, a pathLen no smaller than the number of CAs between it and the device's certificate), has the subject the
 * certificate below names as issuer, signed it, and is valid now. The path ends at the first certificate the store
 * holds, root or intermediate: the store is what is trusted (CUCM ships both levels, docs/SIP.md 7a), so a presented
 * certificate is only ever a link, never an anchor. No certificate of the path (device's, intermediate, anchor) may mark
 * critical an extension other than basicConstraints, keyUsage and extendedKeyUsage. A device presents at most
 * {@value #MAX_INTERMEDIATES} certificates after its own, and one judgment checks at most {@value #MAX_VERIFICATIONS}
 * signatures: the registrar judges every REGISTER on the event loop.
 */
public final class TrustChain {
    /**
     * Intermediates a device may present (real MIC chains have one): a longer chain is refused before any signature
     * check, as the registrar judges the chain on every REGISTER, on the event loop.
     */
    static final int MAX_INTERMEDIATES = 3;
    /** Signature checks one judgment may make (a real MIC chain needs two or three); past it the chain is refused. */
    static final int MAX_VERIFICATIONS = 8;

    private TrustChain() {
    }

    /** The certificate of {@code store} that {@code chain} (the device's certificate first, then what it sent after it) ends at, or empty. */
    public static Optional<X509Certificate> anchor(List<X509Certificate> chain, Collection<X509Certificate> store, Instant now) {
        return anchor(chain, store, now, new Budget());
    }

    /** As above, counting the signature checks in {@code budget}. */
    static Optional<X509Certificate> anchor(List<X509Certificate> chain, Collection<X509Certificate> store, Instant now, Budget budget) {
        if (chain.isEmpty() || chain.size() > 1 + MAX_INTERMEDIATES) {
            return Optional.empty();
        }
        X509Certificate leaf = chain.get(0);
        Date at = Date.from(now);
        if (!validAt(leaf, at) || leaf.getBasicConstraints() >= 0 || selfIssued(leaf) || unhandledCritical(leaf)) {
            return Optional.empty();
        }
        List<X509Certificate> presented = new ArrayList<>(chain.subList(1, chain.size()));
        presented.removeIf(leaf::equals);
        Optional<X509Certificate> found = above(leaf, 0, presented, store, at, new ArrayList<>(), budget);
        return budget.exhausted() ? Optional.empty() : found;
    }

    /** As {@link #anchor(List, Collection, Instant)} for a certificate presented alone. */
    public static Optional<X509Certificate> root(X509Certificate cert, Collection<X509Certificate> store, Instant now) {
        return anchor(List.of(cert), store, now);
    }

    /** As {@link #anchor}: does it end at a certificate of the store? */
    public static boolean chains(List<X509Certificate> chain, Collection<X509Certificate> store, Instant now) {
        return anchor(chain, store, now).isPresent();
    }

    /** As {@link #root}: does it chain to one? */
    public static boolean chains(X509Certificate cert, Collection<X509Certificate> store, Instant now) {
        return root(cert, store, now).isPresent();
    }

    /**
     * The store certificate reached from {@code cert}'s issuer. {@code cas} counts the CAs between the issuer and the
     * device's certificate (pathLen); {@code path} the presented intermediates followed, so none is used twice.
     */
    private static Optional<X509Certificate> above(X509Certificate cert, int cas, List<X509Certificate> presented,
                                                   Collection<X509Certificate> store, Date at, List<X509Certificate> path,
                                                   Budget budget) {
        for (X509Certificate anchor : store) {
            if (budget.exhausted()) {
                return Optional.empty();
            }
            if (!anchor.equals(cert) && issued(anchor, cert, cas, at, budget)) {
                return Optional.of(anchor);
            }
        }
        if (path.size() >= MAX_INTERMEDIATES) {
            return Optional.empty();
        }
        for (X509Certificate ca : presented) {
            if (budget.exhausted()) {
                return Optional.empty();
            }
            if (!path.contains(ca) && !selfIssued(ca) && issued(ca, cert, cas, at, budget)) {
                path.add(ca);
                Optional<X509Certificate> found = above(ca, cas + 1, presented, store, at, path, budget);
                if (found.isPresent()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return Optional.empty();
    }

    /** Did {@code ca} issue {@code cert}, with {@code cas} CAs below it on the way to the device's certificate? */
    private static boolean issued(X509Certificate ca, X509Certificate cert, int cas, Date at, Budget budget) {
        return mayIssue(ca, cas) && ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                && validAt(ca, at) && !unhandledCritical(ca) && budget.spend() && signedBy(cert, ca);
    }

    /** CA:true with a pathLen of at least {@code cas} (none: no limit), and keyCertSign (bit 5) if it restricts its key's use. */
    private static boolean mayIssue(X509Certificate c, int cas) {
        boolean[] usage = c.getKeyUsage();
        return c.getBasicConstraints() >= cas && (usage == null || usage.length > 5 && usage[5]);
    }

    /** The signature checks of one judgment, at most {@link #MAX_VERIFICATIONS}. */
    static final class Budget {
        private int verifications;
        private boolean exhausted;

        /** Whether one more signature check may be made (counted if so); once refused, the judgment is a refusal. */
        boolean spend() {
            if (verifications >= MAX_VERIFICATIONS) {
                exhausted = true;
                return false;
            }
            verifications++;
            return true;
        }

        boolean exhausted() {
            return exhausted;
        }

        int verifications() {
            return verifications;
        }
    }

    /** Critical extensions this rule reads: basicConstraints, keyUsage, extendedKeyUsage (the last: it restricts nothing here). */
    private static final Set<String> HANDLED_CRITICAL = Set.of("2.5.29.19", "2.5.29.15", "2.5.29.37");

    /** A critical extension the rule does not handle: refused, as OpenSSL (RFC 5280 4.2) refuses one it does not know. */
    private static boolean unhandledCritical(X509Certificate c) {
        Set<String> critical = c.getCriticalExtensionOIDs();
        return critical != null && !HANDLED_CRITICAL.containsAll(critical);
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
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
