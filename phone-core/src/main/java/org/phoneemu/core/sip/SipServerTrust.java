package org.phoneemu.core.sip;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * The phone's rule for a SIP-TLS peer (docs/SIP.md §2): CallManager's TLS certificate must be a CallManager record
 * (role CCM or CCM+TFTP) of the <b>CTL</b>; a phone without a CTL uses its <b>ITL</b> instead (the ITL's certificates
 * verify SIP-TLS, its CCM role being the one for SIP-TLS). Records are matched as everywhere else: issuer + serial, then
 * the certificate bytes or their CERTHASH ({@link TrustRecord#matches}). The same list decides whether TLS is possible at
 * all ({@link SipTransportPolicy}), so the phone never picks TLS and then refuses every server for a reason it could have
 * known.
 */
public final class SipServerTrust {
    /** The roles of a CallManager record. */
    public static final Set<Role> CALLMANAGER_ROLES = Set.of(Role.CCM, Role.CCM_TFTP);

    private SipServerTrust() {
    }

    /** The list the phone judges CallManager by: the CTL when one is installed, else a non-rollback ITL, else none. */
    public static Optional<TrustList> judgingList(InstalledTrust trust) {
        if (trust.ctl().isPresent()) {
            return trust.ctl();
        }
        return trust.itl().filter(l -> !l.isBlank());
    }

    /** The CallManager record that vouches for {@code serverCert}, if any. */
    public static Optional<TrustRecord> callManagerRecordFor(InstalledTrust trust, X509Certificate serverCert) {
        return judgingList(trust).flatMap(list -> callManagerRecords(list).stream().filter(r -> r.matches(serverCert)).findFirst());
    }

    /** Is {@code serverCert} a CallManager the phone may register to over TLS? */
    public static boolean isTrustedCallManager(InstalledTrust trust, X509Certificate serverCert) {
        return callManagerRecordFor(trust, serverCert).isPresent();
    }

    /**
     * Does the judging list hold a CallManager certificate: a CCM or CCM+TFTP record that is not blank and whose
     * certificate has begun its validity at {@code now} (a record that carries only a hash cannot be dated and counts)?
     * A certificate past its end date still counts: a secure phone does not fall back to TCP for it, the TLS gate refuses
     * the CallManager that presents it and the phone does not register (docs/TRUST-RULES.md §12 rule 7, E2).
     */
    public static boolean hasCallManager(InstalledTrust trust, Instant now) {
        return judgingList(trust).map(list -> callManagerRecords(list).stream().anyMatch(r -> startedAt(r, now))).orElse(false);
    }

    private static List<TrustRecord> callManagerRecords(TrustList list) {
        return list.records().stream().filter(r -> r.role().map(CALLMANAGER_ROLES::contains).orElse(false)).toList();
    }

    private static boolean startedAt(TrustRecord r, Instant now) {
        if (r.isBlank()) {
            return false;
        }
        Optional<X509Certificate> c = r.certificate();
        if (c.isEmpty()) {
            return r.certHash().isPresent();
        }
        return !now.isBefore(c.get().getNotBefore().toInstant());
    }
}
