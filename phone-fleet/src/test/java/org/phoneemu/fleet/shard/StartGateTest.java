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
        Thread.sleep(1500);
        assertThat(gate).isNotDone();
        clock.now.set(at.minusNanos(1));
        Thread.sleep(1200);
        assertThat(gate).isNotDone();
        clock.now.set(at);
        gate.get(3, TimeUnit.SECONDS);
        assertThat(gate).isCompleted();
    }

    @Test
    void aShortWaitOnTheSystemClockIsNeverEarly() throws Exception {
        Clock clock = Clock.systemUTC();
        Instant at = clock.instant().plus(Duration.ofMillis(300));
        StartGate.at(at, clock, scheduler).get(5, TimeUnit.SECONDS);
        assertThat(clock.instant()).isAfterOrEqualTo(at);
    }
}
