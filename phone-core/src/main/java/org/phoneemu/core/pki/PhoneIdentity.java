package org.phoneemu.core.pki;

import java.time.Instant;
import java.util.Optional;

/**
 * The phone's own certificates: the manufacturer-installed MIC and, once CAPF issued one, the LSC. The LSC is
 * used when present (encrypted configs are wrapped to it, TVS sees it as the client certificate).
 */
public record PhoneIdentity(KeyMaterial mic, Optional<KeyMaterial> lsc) {
    public KeyMaterial active() {
        return lsc.orElse(mic);
    }

    /**
     * The certificate the phone presents at {@code now}: the LSC, unless it is past its end date and the MIC is not,
     * then the MIC (docs/TRUST-RULES.md §12 rule 8, guessed: no public source says what a phone does).
     */
    public KeyMaterial active(Instant now) {
        if (lsc.isPresent() && Certificates.expired(lsc.get().certificate(), now) && !Certificates.expired(mic.certificate(), now)) {
            return mic;
        }
        return active();
    }

    /** "LSC" or "MIC": which of the phone's certificates {@link #active(Instant)} is at {@code now}. */
    public String activeName(Instant now) {
        return lsc.isPresent() && active(now) == lsc.get() ? "LSC" : "MIC";
    }

    /**
     * What the phone says before it uses its certificate at {@code now} when an end date has passed: the LSC set aside
     * for the MIC, or the only usable certificate presented although expired; empty when nothing expired.
     */
    public Optional<String> expiryNote(Instant now) {
        KeyMaterial used = active(now);
        if (lsc.isPresent() && used != lsc.get()) {
            return Optional.of("SECD: WARN: the LSC " + lsc.get().certificate().getSubjectX500Principal().getName()
                    + " expired on " + lsc.get().certificate().getNotAfter().toInstant() + "; using the MIC " + Certificates.EXPIRY_ASSUMED);
        }
        if (Certificates.expired(used.certificate(), now)) {
            return Optional.of("SECD: WARN: the " + activeName(now) + " " + used.certificate().getSubjectX500Principal().getName()
                    + " expired on " + used.certificate().getNotAfter().toInstant() + "; no valid certificate, presenting it anyway "
                    + Certificates.EXPIRY_ASSUMED);
        }
        return Optional.empty();
    }

    /** MD5 of the active certificate: what an encrypted-config stub's {@code certHash} must equal. */
    public String certHash() {
        return Certificates.md5Hex(active().certificate());
    }

    /** MD5 of the certificate active at {@code now} ({@link #active(Instant)}). */
    public String certHash(Instant now) {
        return Certificates.md5Hex(active(now).certificate());
    }

    public PhoneIdentity withoutLsc() {
        return new PhoneIdentity(mic, Optional.empty());
    }
}
