package org.phoneemu.cucm;

import java.time.Instant;
import java.util.Optional;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * The cluster told its phones to reset (and so to download their ITL and configuration again). CUCM does this on
 * its own after a CallManager or TVS regeneration and a rename; an administrator does it with the Reset button.
 *
 * @param node the node whose change caused it (its host name at the time), empty for cluster-wide resets
 * @param unit the regenerated certificate, when that was the cause
 */
public record ResetEvent(Instant at, Reason reason, Optional<String> node, Optional<CertificateUnit> unit) {
    public enum Reason {
        /** {@code set cert regen CallManager} or {@code TVS}. */
        CERTIFICATE_REGENERATED,
        /** A host name or domain change regenerated the node's certificates. */
        NAME_CHANGED,
        /** The cluster was restored from a backup. */
        RESTORED,
        /** The administrator reset the devices (Enterprise Parameters > Reset, {@code utils reset phones} here). */
        ADMINISTRATOR
    }
}
