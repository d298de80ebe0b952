package org.phoneemu.fleet;

import java.util.Map;

/**
 * A read-only snapshot of a running fleet, for progress lines, a dashboard or metrics.
 *
 * @param phones         phones in the fleet
 * @param round          0 for the first boot, 1.. for reboots; -1 before the first round
 * @param waiting        phones of this round not started yet
 * @param booting        phones booting now
 * @param waitingOnTvs   phones waiting for a TVS answer now (of those booting, or after a press)
 * @param done           phones of this round finished
 * @param verdicts       every phone's latest verdict, counted ({@link Verdict#PENDING} for phones not booted yet)
 * @param bootsPerSecond finished boots of this round per second since it started
 * @param p99BootMillis  99th percentile of whole boots so far (all rounds)
 * @param totalBoots     boots finished so far (all rounds)
 */
public record FleetStatus(int phones, int round, int waiting, int booting, int waitingOnTvs, int done, Map<Verdict, Integer> verdicts,
                          double bootsPerSecond, double p99BootMillis, long totalBoots) {
    public int count(Verdict v) {
        return verdicts.getOrDefault(v, 0);
    }
}
