package org.phoneemu.core.capf;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Optional;

/**
 * Would the phone install this certificate as its LSC? Its public key must be the one the phone just generated,
 * it must be signed by the CAPF server the phone authenticated (its certificate is a CAPF record of the trust
 * lists), and it must be valid now. A certificate that fails any check is not written to the flash.
 */
public final class IssuedLscCheck {
    private IssuedLscCheck() {
    }

    /** Why {@code issued} is refused, or empty when it may be installed. */
    public static Optional<String> problem(X509Certificate issued, PublicKey generated, X509Certificate capf, Instant now) {
        if (!Arrays.equals(issued.getPublicKey().getEncoded(), generated.getEncoded())) {
            return Optional.of("the certificate does not carry the key the phone generated");
        }
        try {
            issued.verify(capf.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("the certificate is not signed by the CAPF server's key (issuer "
                    + issued.getIssuerX500Principal().getName() + ")");
        }
        try {
            issued.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            return Optional.of("the certificate is not valid now (" + issued.getNotBefore().toInstant() + " to "
                    + issued.getNotAfter().toInstant() + ")");
        }
        return Optional.empty();
    }
}
