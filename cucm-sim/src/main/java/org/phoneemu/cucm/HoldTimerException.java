package org.phoneemu.cucm;

import java.time.Instant;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * {@code set cert regen} refused because another certificate of the node was regenerated within the hold timer
 * (5 minutes). {@link #retryAt()} is when the node accepts again.
 */
final class HoldTimerException extends AdminException {
    private static final long serialVersionUID = 1L;
    private final CertificateUnit modified;
    private final Instant retryAt;

    HoldTimerException(String message, CertificateUnit modified, Instant retryAt) {
        super(message);
        this.modified = modified;
        this.retryAt = retryAt;
    }

    /** The certificate whose regeneration started the timer. */
    public CertificateUnit modified() {
        return modified;
    }

    public Instant retryAt() {
        return retryAt;
    }
}
