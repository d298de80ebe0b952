package org.phoneemu.core.trust;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * The phone's one rule about end dates (docs/TRUST-RULES.md §12 rule 5): a record of the installed CTL or ITL whose
 * certificate is past its end date on the phone's clock no longer vouches for a signed file, ITL or configuration
 * alike (Cisco: with an expired CallManager certificate "phones do not accept signed configuration files and/or ITL
 * files"). A record that carries no certificate has no end date to pass.
 */
public final class ExpiredSigner {
    private ExpiredSigner() {
    }

    /** Why {@code signer} cannot vouch at {@code now}, or empty when its certificate is still valid. */
    public static Optional<String> check(TrustRecord signer, Instant now) {
        Optional<X509Certificate> cert = signer.certificate();
        if (cert.isEmpty() || !now.isAfter(cert.get().getNotAfter().toInstant())) {
            return Optional.empty();
        }
        return Optional.of("signer " + signer.subjectName() + " is trusted but its certificate expired on "
                + cert.get().getNotAfter().toInstant());
    }
}
