package org.phoneemu.fleet.shard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lets shards that never talk to each other start their storm together: each waits until the same wall-clock
 * instant. The wait is a task on a scheduler (never an event loop); the time comes from the injected clock, and a
 * long wait is cut into steps that re-read the clock, so a clock that is stepped (NTP) is followed.
 */
public final class StartGate {
    /** The longest single sleep before the clock is read again. */
    static final Duration STEP = Duration.ofSeconds(1);

    private StartGate() {
    }

    /** Completes at {@code when} by {@code clock}; at once when that instant has passed. */
    public static CompletableFuture<Void> at(Instant when, Clock clock, ScheduledExecutorService scheduler) {
        CompletableFuture<Void> open = new CompletableFuture<>();
        check(when, clock, scheduler, open);
        return open;
    }

    private static void check(Instant when, Clock clock, ScheduledExecutorService scheduler, CompletableFuture<Void> open) {
        if (open.isDone()) {
            return; // cancelled
        }
        Duration left = Duration.between(clock.instant(), when);
        if (left.isNegative() || left.isZero()) {
            open.complete(null);
            return;
        }
        // Never early by the clock: a sleep that ends a little short is followed by another check.
        scheduler.schedule(() -> check(when, clock, scheduler, open), Math.min(left.toNanos(), STEP.toNanos()), TimeUnit.NANOSECONDS);
    }
}
