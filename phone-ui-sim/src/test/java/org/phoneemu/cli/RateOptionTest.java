package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phoneemu.fleet.RateSchedule;

/** {@code fleet --rate}: a number or steps, and every mistake one line naming the option. */
class RateOptionTest {
    @Test
    void stepsAreReadInOrder() {
        RateSchedule s = UserInput.rateSchedule("--rate", "50, 100@30s,200@1m");
        assertThat(s.steps()).containsExactly(new RateSchedule.Step(Duration.ZERO, 50), new RateSchedule.Step(Duration.ofSeconds(30), 100),
                new RateSchedule.Step(Duration.ofMinutes(1), 200));
        assertThat(s.describe()).isEqualTo("50 phones/s, 100 from 30 s, 200 from 60 s");
    }

    @Test
    void aNumberIsAConstantRateAndZeroNoRate() {
        assertThat(UserInput.rateSchedule("--rate", "12.5")).isEqualTo(RateSchedule.constant(12.5));
        assertThat(UserInput.rateSchedule("--rate", "0").limited()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "-5", "50d", "1e400", "NaN", "50@10s", "50,100", "50,100@", "50,100@soon", "50,100@30s,20@10s",
            "50,0@30s", "50,100@0s", "50,,100@30s"})
    void mistakesAreOneLineNamingTheOption(String text) {
        assertThatThrownBy(() -> UserInput.rateSchedule("--rate", text)).isInstanceOf(UserError.class)
                .hasMessage("--rate takes phones per second (e.g. 50) or steps like 50,100@30s,200@60s (times increasing, every rate above 0), not '"
                        + text + "'");
    }

    @Test
    void theDocumentedExampleParses() {
        assertThat(UserInput.rateSchedule("--rate", "50,100@30s,200@60s").steps()).extracting(RateSchedule.Step::perSecond)
                .isEqualTo(List.of(50.0, 100.0, 200.0));
    }
}
