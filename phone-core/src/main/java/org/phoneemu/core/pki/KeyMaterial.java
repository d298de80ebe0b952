package org.phoneemu.core.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate: a node's CallManager identity, a phone's LSC, a test key. {@code issuers} are
 * the certificates sent after it in a TLS certificate message (a MIC's intermediate CA), nearest first; usually none.
 */
public record KeyMaterial(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> issuers) {
    public KeyMaterial {
        Objects.requireNonNull(certificate, "certificate");
        issuers = List.copyOf(issuers);
    }

    public KeyMaterial(PrivateKey privateKey, X509Certificate certificate) {
        this(privateKey, certificate, List.of());
    }

    /** The certificate then its issuers: what TLS presents. */
    public List<X509Certificate> chain() {
        if (issuers.isEmpty()) {
            return List.of(certificate);
        }
        java.util.ArrayList<X509Certificate> all = new java.util.ArrayList<>(1 + issuers.size());
        all.add(certificate);
        all.addAll(issuers);
        return List.copyOf(all);
    }
}
