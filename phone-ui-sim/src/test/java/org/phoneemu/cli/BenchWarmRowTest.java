package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm row of {@code bench fleet} is the median of its runs (a shared machine makes single runs noisy). */
class BenchWarmRowTest {
    @Test
    void theMedianOfOddAndEvenRuns() {
        assertThat(BenchCommand.FleetBench.median(List.of(505.0, 380.0, 610.0))).isEqualTo(505.0);
        assertThat(BenchCommand.FleetBench.median(List.of(400.0, 600.0))).isEqualTo(500.0);
        assertThat(BenchCommand.FleetBench.median(List.of(42.0))).isEqualTo(42.0);
    }
}
