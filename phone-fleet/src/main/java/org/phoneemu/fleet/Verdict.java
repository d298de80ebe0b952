package org.phoneemu.fleet;

import java.util.Locale;
import org.phoneemu.phone.BootReport;

/** How one phone's boot ended, as the fleet counts it. */
public enum Verdict {
    /** Installed the cluster's trust lists and applied a verified config. */
    TRUSTED,
    /** "Trust List Update Failed". */
    LOCKED,
    /** Trust lists fine, but no config could be verified and applied. */
    CONFIG_REFUSED,
    /** The boot failed: a download the phone could not use (too large, a protocol error), the boot timeout, a local failure. The row says why. */
    ERROR,
    /**
     * A TFTP server refused or did not serve a file the boot needed: an error packet, no answer through the
     * retransmissions, blocks too slow for the deadline. Counted apart from trust failures and the phone's own
     * errors: against a real cluster it measures the server (CUCM's TFTP refuses past its serving count).
     */
    SERVER_REFUSED,
    /** The run stopped (a signal, {@code --max-duration}) before this phone's boot of the round started. */
    NOT_BOOTED,
    /** The run stopped while this phone was booting, and the boot did not end within the grace period. */
    INTERRUPTED,
    /** Not booted yet. */
    PENDING;

    public static Verdict of(BootReport r) {
        if (r.error().isPresent()) {
            return ERROR;
        }
        return r.trusted() ? TRUSTED : r.locked() ? LOCKED : CONFIG_REFUSED;
    }

    /**
     * The word used in tables and files: {@code trusted}, {@code locked}, {@code config-refused}, {@code error},
     * {@code server-refused}, {@code not-booted}, {@code interrupted}.
     */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a {@link #word()} (or the enum name). */
    /** True for the verdicts of a phone whose boot a stopped run did not let finish. */
    public boolean unfinished() {
        return this == NOT_BOOTED || this == INTERRUPTED;
    }

    public static Verdict parse(String s) {
        String n = s.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (Verdict v : values()) {
            if (v.name().equals(n)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict '" + s + "' (trusted, locked, config-refused, error, server-refused, not-booted, interrupted)");
    }
}
