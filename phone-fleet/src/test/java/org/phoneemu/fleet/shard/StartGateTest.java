package org.phoneemu.fleet.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartGateTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        final AtomicReference<Instant> now;
        /** How often the gate has looked at the clock: the event the test waits on instead of a sleep. */
        final java.util.concurrent.Semaphore looks = new java.util.concurrent.Semaphore(0);

        HandClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            looks.release();
            return now.get();
        }
    }

    @Test
    void aMomentPassedOpensAtOnce() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T15:00:00Z"), ZoneOffset.UTC);
        assertThat(StartGate.at(Instant.parse("2026-11-26T14:59:59Z"), clock, scheduler)).isCompleted();
        assertThat(StartGate.at(Instant.parse("2026-11-26T15:00:00Z"), clock, scheduler)).isCompleted();
    }

    @Test
    void theGateOpensWhenTheClockReachesTheMomentNotBefore() throws Exception {
        HandClock clock = new HandClock(Instant.parse("2026-11-26T14:00:00Z"));
        Instant at = Instant.parse("2026-11-26T15:00:00Z");
        CompletableFuture<Void> gate = StartGate.at(at, clock, scheduler);
        // An hour to go by the clock: a few re-checks (one a second at most) do not open it.
        awaitLooks(clock, 2);
        assertThat(gate).isNotDone();
        clock.now.set(at.minusNanos(1));
        awaitLooks(clock, 2);
        assertThat(gate).isNotDone();
        clock.now.set(at);
        // The gate looks again within a second; the bound only stops a broken gate from hanging the build.
        gate.get(2, TimeUnit.MINUTES);
        assertThat(gate).isCompleted();
    }

    /** Waits until the gate has looked at the clock {@code n} more times (each look after the test's last change). */
    private static void awaitLooks(HandClock clock, int n) throws InterruptedException {
        clock.looks.drainPermits();
        assertThat(clock.looks.tryAcquire(n, 2, TimeUnit.MINUTES)).as("the gate re-checks the clock").isTrue();
    }

    @Test
    void aShortWaitOnTheSystemClockIsNeverEarly() throws Exception {
        Clock clock = Clock.systemUTC();
        Instant at = clock.instant().plus(Duration.ofMillis(300));
        StartGate.at(at, clock, scheduler).get(2, TimeUnit.MINUTES);
        assertThat(clock.instant()).isAfterOrEqualTo(at);
    }
}
