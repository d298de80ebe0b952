package org.phoneemu.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What keeping a fleet's registrations (a soak, {@link KeptRegistrations}) came to: the renewals the phones made on their
 * own schedule, how they ended, and the failovers among them.
 *
 * @param phones        phones kept registered (each from the end of its first boot that registered)
 * @param kept          how long they were kept after the last round (renewals during the rounds count too)
 * @param attempted     renewals sent (each a REGISTER over the group, failover included)
 * @param succeeded     renewals a CallManager of the group accepted
 * @param failed        renewals no CallManager accepted (the phone tries again after its retry interval)
 * @param failovers     accepted renewals at another CallManager than the phone's previous registration
 * @param failedBecause failed renewals by their one line (at most {@link #MAX_REASONS}; the rest as "other")
 * @param registered    phones registered when the keeping ended
 */
public record Renewals(int phones, Duration kept, long attempted, long succeeded, long failed, long failovers,
                       Map<String, Long> failedBecause, int registered) {
    /** Distinct failure lines kept: a reason per phone would make the table and the JSON grow with the fleet. */
    public static final int MAX_REASONS = 20;
    /** The line failed renewals beyond {@link #MAX_REASONS} distinct ones are counted under. */
    public static final String OTHER = "other reasons";

    public Renewals {
        failedBecause = Map.copyOf(failedBecause);
    }

    /** Every renewal succeeded and every phone kept is still registered. */
    public boolean allKept() {
        return failed == 0 && registered == phones;
    }

    /** One line: the counts. */
    public String line() {
        return String.format(Locale.ROOT, "%d phones kept registered for %s: %d renewals, %d succeeded, %d failed, %d failovers; %d registered at the end",
                phones, FleetRun.Durations.show(Duration.ofSeconds(kept.toSeconds())), attempted, succeeded, failed, failovers, registered);
    }

    /** The summary table's section. */
    public List<String> table() {
        List<String> out = new java.util.ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-16s %8s", "RENEWALS", "COUNT"));
        out.add(String.format(Locale.ROOT, "%-16s %8d", "attempted", attempted));
        out.add(String.format(Locale.ROOT, "%-16s %8d", "succeeded", succeeded));
        out.add(String.format(Locale.ROOT, "%-16s %8d", "failed", failed));
        out.add(String.format(Locale.ROOT, "%-16s %8d", "failovers", failovers));
        failedBecause.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.add(String.format(Locale.ROOT, "%8d  failed: %s", e.getValue(), e.getKey())));
        out.add(line());
        return out;
    }
}
