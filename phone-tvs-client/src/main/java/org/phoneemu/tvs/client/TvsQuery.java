package org.phoneemu.tvs.client;

import java.math.BigInteger;
import java.util.Optional;

/**
 * What a QUERY asks for: a certificate by subject, by issuer + serial, or both (docs/TVS.md §1). Used to fetch an
 * unknown signer's certificate. The serial goes on the wire as the DER INTEGER's content bytes.
 */
public record TvsQuery(Optional<String> subject, Optional<String> issuer, Optional<BigInteger> serial) {
    public TvsQuery {
        if (subject.isEmpty() && issuer.isEmpty() && serial.isEmpty()) {
            throw new IllegalArgumentException("a TVS query needs a subject, an issuer or a serial");
        }
    }

    public static TvsQuery bySubject(String subject) {
        return new TvsQuery(Optional.of(subject), Optional.empty(), Optional.empty());
    }

    public static TvsQuery byIssuerAndSerial(String issuer, BigInteger serial) {
        return new TvsQuery(Optional.empty(), Optional.of(issuer), Optional.of(serial));
    }

    Optional<byte[]> serialBytes() {
        return serial.map(BigInteger::toByteArray);
    }
}
