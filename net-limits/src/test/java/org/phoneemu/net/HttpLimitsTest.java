package org.phoneemu.net;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpLimitsTest {
    @Test
    void aBodyLimitOfZeroIsRefused() {
        assertThatThrownBy(() -> new HttpLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("caps must be positive");
    }

    @Test
    void aHeaderDeadlineLaterThanTheRequestDeadlineIsRefused() {
        assertThatThrownBy(() -> HttpLimits.web().withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header deadline");
    }
}
