package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet --ramp FILE}: CSV and YAML profiles become rate steps; a mistake names the file and its line. */
class RampFileTest {
    @TempDir
    Path tmp;

    private RateSchedule read(String name, String text) throws Exception {
        return RampFile.read(Files.writeString(tmp.resolve(name), text));
    }

    private static RateSchedule.Step step(long seconds, double rate) {
        return new RateSchedule.Step(Duration.ofSeconds(seconds), rate);
    }

    @Test
    void csvRatesAreTheSteps() throws Exception {
        RateSchedule s = read("ramp.csv", "# warm-up, then the storm\ntime,rate\n0s,50\n30s,100   # doubled\n\n2m,200\n");
        assertThat(s.steps()).containsExactly(step(0, 50), step(30, 100), step(120, 200));
        assertThat(s.describe()).isEqualTo("50 phones/s, 100 from 30 s, 200 from 120 s");
    }

    @Test
    void csvPhonesStartEvenlyBetweenPointsAndTheLastRateHolds() throws Exception {
        RateSchedule s = read("ramp.csv", "time,phones\n0,0\n30s,1500\n90s,10500\n");
        assertThat(s.steps()).containsExactly(step(0, 50), step(30, 150));
        assertThat(s.perSecondAt(Duration.ofSeconds(200).toNanos())).isEqualTo(150);
    }

    @Test
    void yamlPointsUnderRampOrAlone() throws Exception {
        assertThat(read("r.yaml", "ramp:\n  - {at: 0s, rate: 20}\n  - {at: 10s, rate: 40}\n").steps())
                .containsExactly(step(0, 20), step(10, 40));
        assertThat(read("r.yml", "- at: 0\n  phones: 0\n- at: 1m\n  phones: 600\n").steps()).containsExactly(step(0, 10));
    }

    @Test
    void mistakesNameTheLine() {
        assertThatThrownBy(() -> read("bad.csv", "time,rate\n0s,50\n20s,fast\n")).isInstanceOf(RampFile.RampFileException.class)
                .hasMessageEndingWith("bad.csv line 3: a rate is phones per second (e.g. 50 or 12.5), not 'fast'");
        assertThatThrownBy(() -> read("bad.csv", "time,rate\n0s,50\n30s,100\n20s,200\n"))
                .hasMessageEndingWith("bad.csv line 4: times must increase (this point is not after line 3)");
        assertThatThrownBy(() -> read("bad.csv", "when,rate\n0s,50\n")).hasMessageEndingWith("bad.csv line 1: the header is 'time,rate' or 'time,phones', not 'when,rate'");
        assertThatThrownBy(() -> read("bad.csv", "time,rate\n10s,50\n")).hasMessageEndingWith("bad.csv line 2: the first point is at 0s (the round's start)");
        assertThatThrownBy(() -> read("bad.csv", "time,phones\n0s,0\n10s,100\n20s,100\n"))
                .hasMessageEndingWith("bad.csv line 4: the number of phones must grow (this point has no more than line 3)");
        assertThatThrownBy(() -> read("bad.csv", "time,rate\n0s,50\n5x,60\n")).hasMessageEndingWith("bad.csv line 3: a time is like 0s, 30s, 2m, 1h or 500ms, not '5x'");
        assertThatThrownBy(() -> read("bad.yaml", "ramp:\n  - {at: 0s, rate: 20}\n  - {at: 10s, phones: 40}\n"))
                .hasMessageEndingWith("bad.yaml line 3: every point gives a rate, or every point a number of phones, not a mix");
        assertThatThrownBy(() -> read("bad.yaml", "ramp:\n  - {at: 0s, rate: 20}\n  - {at: 10s, speed: 40}\n"))
                .hasMessageEndingWith("bad.yaml line 3: unknown key 'speed' (at, rate, phones)");
        assertThatThrownBy(() -> read("bad.yaml", "ramp:\n  - {at: 0s, rate: 20\n")).hasMessageContaining("bad.yaml line 3: not YAML");
        assertThatThrownBy(() -> RampFile.read(tmp.resolve("missing.csv"))).hasMessageEndingWith("missing.csv: no such file");
    }
}
