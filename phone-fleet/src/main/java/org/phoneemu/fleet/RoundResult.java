package org.phoneemu.fleet;

import java.util.Map;

/** One round of boots: every phone booted once. {@code round} 0 is the first boot. */
public record RoundResult(int round, int boots, long nanos, Map<Verdict, Integer> verdicts) {
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
