package org.phoneemu.fleet;

import java.util.Locale;
import java.util.Optional;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.RegistrationStep;

/**
 * Whether a phone registered to CallManager at the end of its last boot (docs/SIP.md), beside its boot {@link Verdict}:
 * the boot's verdict says what the phone trusts, this one whether CallManager then took it.
 */
public enum Registration {
    /** A CallManager of the group accepted the REGISTER. */
    REGISTERED,
    /** Registration was on and the phone did not register (refused, nobody trusted or answering, no verified config). */
    NOT_REGISTERED,
    /** Registration was off, or the boot did not get as far as a report. */
    NOT_ASKED;

    /** How the boot described by {@code report} ended for registration. */
    public static Registration of(Optional<BootReport> report) {
        Optional<RegistrationStep> step = report.flatMap(BootReport::registration);
        if (step.isEmpty()) {
            return NOT_ASKED;
        }
        return step.get().registered() ? REGISTERED : NOT_REGISTERED;
    }

    /**
     * The outcome's one line: where and over what the phone registered, or why it did not; empty when not asked.
     */
    public static String detail(Optional<BootReport> report) {
        return report.flatMap(BootReport::registration).map(RegistrationStep::text).orElse("");
    }

    /** The word of tables and files: {@code registered}, {@code not-registered}, {@code -} (not asked). */
    public String word() {
        return this == NOT_ASKED ? "-" : name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
