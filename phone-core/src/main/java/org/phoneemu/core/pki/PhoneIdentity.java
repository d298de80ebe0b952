package org.phoneemu.core.pki;

import java.util.Optional;

/**
 * The phone's own certificates: the manufacturer-installed MIC and, once CAPF issued one, the LSC. The LSC is
 * used when present (encrypted configs are wrapped to it, TVS sees it as the client certificate).
 */
public record PhoneIdentity(KeyMaterial mic, Optional<KeyMaterial> lsc) {
    public KeyMaterial active() {
        return lsc.orElse(mic);
    }

    /** MD5 of the active certificate: what an encrypted-config stub's {@code certHash} must equal. */
    public String certHash() {
        return Certificates.md5Hex(active().certificate());
    }

    public PhoneIdentity withoutLsc() {
        return new PhoneIdentity(mic, Optional.empty());
    }
}
