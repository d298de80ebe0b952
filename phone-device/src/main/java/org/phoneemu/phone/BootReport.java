package org.phoneemu.phone;

import java.util.Optional;
import org.phoneemu.core.trustlist.TrustState;

/**
 * How a boot ended: the phone's trust state, what it holds, and whether it is "trusted" (installed the
 * cluster's ITL and applied a verified config this boot) or "locked" (Trust List Update Failed).
 */
public record BootReport(
        String mac,
        TrustState trustState,
        Optional<String> itlSigner,
        Optional<String> itlMd5,
        Optional<String> ctlMd5,
        boolean trustListUpdateFailed,
        boolean configApplied,
        Optional<String> configSource,
        Optional<String> lastStatus,
        Optional<String> error) {

    /** Trusted: no trust-list failure this boot and a config applied. */
    public boolean trusted() {
        return !trustListUpdateFailed && configApplied && error.isEmpty();
    }

    public boolean locked() {
        return trustListUpdateFailed;
    }

    public String verdict() {
        if (error.isPresent()) {
            return "error";
        }
        return trusted() ? "trusted" : locked() ? "locked" : "config refused";
    }
}
