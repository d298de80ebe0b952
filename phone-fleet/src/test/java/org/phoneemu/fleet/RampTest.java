package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ramp's steps on a virtual clock: the round's pump every 10 ms, no wall-clock wait. */
class RampTest {
    private static final long MS = 1_000_000L;

    /** Phones started in each second of a run of {@code seconds}, pumped every 10 ms of virtual time. */
    private static int[] startsPerSecond(RateSchedule schedule, int seconds) {
        long start = 5_000 * MS; // any origin: only differences count
        Ramp ramp = new Ramp(schedule, start);
        int[] out = new int[seconds];
        for (long t = 0; t < seconds * 1000L; t += 10) {
            ramp.refill(start + t * MS);
            while (ramp.tryStart()) {
                out[(int) (t / 1000)]++;
            }
        }
        return out;
    }

    @Test
    void stepsChangeTheRateAtTheirTimes() {
        RateSchedule s = new RateSchedule(List.of(new RateSchedule.Step(Duration.ZERO, 50),
                new RateSchedule.Step(Duration.ofSeconds(30), 100), new RateSchedule.Step(Duration.ofSeconds(60), 200)));
        int[] starts = startsPerSecond(s, 90);
        // the first second has the bucket's first token on top
        assertThat(starts[0]).isBetween(50, 51);
        for (int sec = 1; sec < 30; sec++) {
            assertThat(starts[sec]).as("second %d", sec).isEqualTo(50);
        }
        for (int sec = 31; sec < 60; sec++) {
            assertThat(starts[sec]).as("second %d", sec).isEqualTo(100);
        }
        for (int sec = 61; sec < 90; sec++) {
            assertThat(starts[sec]).as("second %d", sec).isEqualTo(200);
        }
    }

    @Test
    void aConstantRateIsOneStep() {
        int[] starts = startsPerSecond(RateSchedule.constant(20), 10);
        for (int sec = 1; sec < 10; sec++) {
            assertThat(starts[sec]).isEqualTo(20);
        }
        assertThat(RateSchedule.constant(20).describe()).isEqualTo("20 phones/s");
    }

    @Test
    void noRateNeverHoldsAPhoneBack() {
        Ramp ramp = new Ramp(RateSchedule.constant(0), 0);
        ramp.refill(0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(ramp.tryStart()).isTrue();
        }
    }

    @Test
    void aStallDoesNotReleaseABurst() {
        Ramp ramp = new Ramp(RateSchedule.constant(100), 0);
        ramp.refill(60_000 * MS); // a minute without a pump (a stalled ticker)
        int burst = 0;
        while (ramp.tryStart()) {
            burst++;
        }
        assertThat(burst).isEqualTo(10); // a tenth of a second's worth
    }

    @Test
    void schedulesThatCannotBeMeantAreRefused() {
        assertThatThrownBy(() -> new RateSchedule(List.of(new RateSchedule.Step(Duration.ofSeconds(5), 10))))
                .hasMessageContaining("first step");
        assertThatThrownBy(() -> new RateSchedule(List.of(new RateSchedule.Step(Duration.ZERO, 10),
                new RateSchedule.Step(Duration.ofSeconds(60), 20), new RateSchedule.Step(Duration.ofSeconds(30), 30))))
                .hasMessageContaining("increase");
        assertThatThrownBy(() -> new RateSchedule(List.of(new RateSchedule.Step(Duration.ZERO, 10),
                new RateSchedule.Step(Duration.ofSeconds(60), 0)))).hasMessageContaining("more than 0");
        assertThat(new RateSchedule(List.of(new RateSchedule.Step(Duration.ZERO, 50),
                new RateSchedule.Step(Duration.ofSeconds(30), 100))).describe()).isEqualTo("50 phones/s, 100 from 30 s");
    }
}
