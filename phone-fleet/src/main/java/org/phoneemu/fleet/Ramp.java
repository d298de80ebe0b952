package org.phoneemu.fleet;

/**
 * A round's ramp as a token bucket over a {@link RateSchedule}, driven by the fleet's monotonic clock: each call
 * refills at the rate of the moment and says whether one more phone may start. Not thread-safe (the round calls it
 * under its lock).
 */
final class Ramp {
    private final RateSchedule schedule;
    private final long startNanos;
    private long lastRefill;
    private double tokens = 1;

    Ramp(RateSchedule schedule, long startNanos) {
        this.schedule = schedule;
        this.startNanos = startNanos;
        this.lastRefill = startNanos;
    }

    /** Adds what the time since the last call earned, at the rate of now. */
    void refill(long nowNanos) {
        if (!schedule.limited()) {
            return;
        }
        double rate = schedule.perSecondAt(nowNanos - startNanos);
        // At most a tenth of a second's worth of phones at once: the ramp stays smooth after a stall.
        tokens = Math.min(Math.max(1, rate / 10), tokens + (nowNanos - lastRefill) / 1e9 * rate);
        lastRefill = nowNanos;
    }

    /** Takes a start if the ramp allows one now (always, without a rate). */
    boolean tryStart() {
        if (!schedule.limited()) {
            return true;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
