package org.phoneemu.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BootStatsTest {
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final BootStats stats = new BootStats(now::get);

    @Test
    void countsInFlightAndFinishedBootsWithTheirLatency() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        stats.time(() -> slow);
        CompletableFuture<String> fast = new CompletableFuture<>();
        stats.time(() -> fast);
        assertThat(stats.snapshot().inFlight()).isEqualTo(2);

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(40));
        fast.complete("ok");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1960));
        slow.completeExceptionally(new IllegalStateException("timeout"));

        BootStats.Snapshot s = stats.snapshot();
        assertThat(s.started()).isEqualTo(2);
        assertThat(s.finished()).isEqualTo(2);
        assertThat(s.inFlight()).isZero();
        assertThat(s.countBetween(25, 50)).isEqualTo(1);
        assertThat(s.countBetween(1000, 2500)).isEqualTo(1);
        assertThat(s.latencyMillis().getMaxValue()).isBetween(1999L, 2001L);
    }

    @Test
    void bootsPerSecondCountOnlyTheLastTenSeconds() {
        for (int i = 0; i < 20; i++) {
            stats.time(() -> CompletableFuture.completedFuture("ok"));
        }
        assertThat(stats.snapshot().bootsPerSecond()).isEqualTo(2.0);
        now.addAndGet(TimeUnit.SECONDS.toNanos(11));
        assertThat(stats.snapshot().bootsPerSecond()).isZero();
        assertThat(stats.snapshot().finished()).isEqualTo(20);
    }

    @Test
    void aPhoneIsBootingUntilItsBootCompletes() {
        CompletableFuture<String> boot = new CompletableFuture<>();
        stats.time("001122334455", () -> boot);
        assertThat(stats.booting("001122334455")).isTrue();
        assertThat(stats.booting("001122334466")).isFalse();
        boot.complete("ok");
        assertThat(stats.booting("001122334455")).isFalse();
    }
}
