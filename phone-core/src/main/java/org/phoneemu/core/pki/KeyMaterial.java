package org.phoneemu.core.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A private key with its certificate: a node's CallManager identity, a phone's LSC, a test key. */
public record KeyMaterial(PrivateKey privateKey, X509Certificate certificate) {
    public KeyMaterial {
        Objects.requireNonNull(certificate, "certificate");
    }
}
