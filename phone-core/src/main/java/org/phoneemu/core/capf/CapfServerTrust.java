package org.phoneemu.core.capf;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * Is a CAPF server's TLS certificate one the phone trusts? It must be a CAPF record (role 4) of the installed CTL
 * or ITL. The phone checks this right after the TLS handshake, before it sends a single byte (its device name and
 * authentication string are secrets worth protecting from a rogue server).
 */
public final class CapfServerTrust {
    private CapfServerTrust() {
    }

    public static Optional<TrustRecord> capfRecordFor(InstalledTrust trust, X509Certificate serverCert) {
        for (TrustList list : trust.searchOrder()) {
            for (TrustRecord r : list.recordsWithRole(Role.CAPF)) {
                if (r.matches(serverCert)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    public static boolean isTrustedCapf(InstalledTrust trust, X509Certificate serverCert) {
        return capfRecordFor(trust, serverCert).isPresent();
    }
}
