package org.phoneemu.core.trust;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * Is a TVS server's TLS certificate one the phone trusts? It must be a TVS record of the CTL or ITL: issuer +
 * serial, then the certificate bytes or its CERTHASH (docs/FORMATS.md §2, docs/TRUST-RULES.md §6).
 */
public final class TvsServerAuthentication {
    private TvsServerAuthentication() {
    }

    public static Optional<TrustRecord> tvsRecordFor(InstalledTrust trust, X509Certificate serverCert) {
        for (TrustList list : trust.searchOrder()) {
            for (TrustRecord r : list.recordsWithRole(Role.TVS)) {
                if (r.matches(serverCert)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    public static boolean isTrustedTvs(InstalledTrust trust, X509Certificate serverCert) {
        return tvsRecordFor(trust, serverCert).isPresent();
    }
}
