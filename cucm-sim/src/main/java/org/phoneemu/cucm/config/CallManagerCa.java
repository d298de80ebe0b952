package org.phoneemu.cucm.config;

import java.util.Objects;

/**
 * A certificate authority that signs every node's CallManager certificate, instead of the certificate signing itself
 * (CUCM's "CA-signed" CallManager certificate; the seeds' Security By Default example has issuer {@code CN=JASBURNS-AD}
 * and a 10-byte serial). The authority's name is its CN alone, as a Windows AD CA's often is.
 *
 * @param commonName the authority's CN, e.g. {@code JASBURNS-AD}
 * @param serialBytes size of the serials it gives (1..20)
 */
public record CallManagerCa(String commonName, int serialBytes) {
    public CallManagerCa {
        Objects.requireNonNull(commonName);
        if (serialBytes < 1 || serialBytes > 20) {
            throw new IllegalArgumentException("serialBytes must be 1..20, not " + serialBytes);
        }
    }
}
