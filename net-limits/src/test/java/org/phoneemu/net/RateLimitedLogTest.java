package org.phoneemu.net;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.clock.VirtualClock;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    @Test
    void oneLinePerIntervalThenASummary() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.ratelimited");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
        RateLimitedLog log = new RateLimitedLog(logger, "malformed TVS frames", Duration.ofSeconds(10), clock);

        for (int i = 0; i < 60_000; i++) {
            log.warn("10.0.0." + (i % 7), "bad frame " + i);
        }
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("bad frame 0");
        assertThat(log.suppressed()).isEqualTo(59_999);

        clock.advance(Duration.ofSeconds(10));
        log.warn("10.0.0.1", "bad frame again");
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("bad frame 0",
                "59999 more malformed TVS frames since 2026-01-01T00:00:00Z from 7 address(es) were not logged", "bad frame again");
        logger.detachAppender(seen);
    }
}
