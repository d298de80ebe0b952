package org.phoneemu.fleet;

import java.util.Map;

/**
 * One round of boots: every phone booted once. {@code round} 0 is the first boot. {@code boots} counts the boots
 * that ended; {@code unfinished} the phones a stopped run did not let finish this round (not started or cut short).
 */
public record RoundResult(int round, int boots, long nanos, Map<Verdict, Integer> verdicts, int unfinished) {
    public RoundResult(int round, int boots, long nanos, Map<Verdict, Integer> verdicts) {
        this(round, boots, nanos, verdicts, 0);
    }

    public boolean stopped() {
        return unfinished > 0;
    }

    public double seconds() {
        return nanos / 1e9;
    }

    public double bootsPerSecond() {
        return nanos == 0 ? 0 : boots / seconds();
    }

    public String name() {
        return round == 0 ? "first boot" : "reboot " + round;
    }
}
