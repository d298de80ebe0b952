package org.phoneemu.core.trust;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * The phone's one rule about end dates (docs/TRUST-RULES.md §12 rules 5-6): a record of the installed CTL or ITL whose
 * certificate is past its end date on the phone's clock no longer vouches for a signed file, ITL or configuration
 * alike. Cisco documents it for the CallManager certificate ("phones do not accept signed configuration files and/or
 * ITL files"); for any other signer (ITLRecovery, an eToken) it is our choice, and the reason says so with
 * {@link #ASSUMED} so that {@code predict} can label the verdict.
 */
public final class ExpiredSigner {
    /** Ends every reason that rests on an expiry rule no source states: pki's wording, beside the end-date rule. */
    public static final String ASSUMED = org.phoneemu.core.pki.Certificates.EXPIRY_ASSUMED;
    private static final Set<Role> CALLMANAGER_ROLES = Set.of(Role.CCM, Role.CCM_TFTP, Role.TFTP);

    private ExpiredSigner() {
    }

    /**
     * Why {@code signer} cannot vouch at {@code now}, or empty when its certificate is still valid (or it carries
     * none). {@code lists} are the phone's installed lists: the signer is a CallManager certificate when one of them
     * lists the same certificate as CCM, CCM+TFTP or TFTP.
     */
    public static Optional<String> check(TrustRecord signer, Instant now, Collection<TrustList> lists) {
        Optional<X509Certificate> cert = signer.certificate();
        if (cert.isEmpty() || !org.phoneemu.core.pki.Certificates.expired(cert.get(), now)) {
            return Optional.empty();
        }
        boolean callManager = lists.stream().flatMap(l -> l.records().stream())
                .filter(r -> r.role().filter(CALLMANAGER_ROLES::contains).isPresent())
                .flatMap(r -> r.certificate().stream())
                .anyMatch(c -> sameCertificate(c, cert.get()));
        return Optional.of("signer " + signer.subjectName() + " is trusted but its certificate expired on "
                + cert.get().getNotAfter().toInstant() + (callManager ? "" : " " + ASSUMED));
    }

    /**
     * Why a server the phone trusts (TVS, HTTPS, CAPF, CallManager over SIP-TLS) cannot be used at {@code now}, or
     * empty when its certificate is still valid: the same words as for a signer. No source states that the phone
     * judges a server's end date (docs/TRUST-RULES.md §12 rule 7): the reason ends with {@link #ASSUMED}.
     */
    public static Optional<String> checkServer(X509Certificate cert, Instant now) {
        return org.phoneemu.core.pki.Certificates.expired(cert, now) ? Optional.of(wording("server", cert)) : Optional.empty();
    }

    /** "{@code what} <subject> is trusted but its certificate expired on <end date> (assumed: …)". */
    static String wording(String what, X509Certificate cert) {
        return what + " " + cert.getSubjectX500Principal().getName() + " is trusted but its certificate expired on "
                + cert.getNotAfter().toInstant() + " " + ASSUMED;
    }

    private static boolean sameCertificate(X509Certificate a, X509Certificate b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            return false;
        }
    }
}
