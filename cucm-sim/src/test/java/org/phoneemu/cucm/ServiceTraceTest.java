package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The trace lines' time: the per-second cache gives what the formatter gives, across seconds and a DST change. */
class ServiceTraceTest {
    @Test
    void theCachedTimeIsTheFormattersForEveryMillisecondAndAcrossADaylightSavingChange() {
        ZoneId zone = ZoneId.of("America/Los_Angeles");
        DateTimeFormatter f = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);
        ServiceTrace trace = new ServiceTrace(Clock.systemUTC(), zone, null);
        // 2026-03-08 10:00:00Z is 02:00 PST -> 03:00 PDT; walk through it and through whole seconds, one step at a time.
        Instant start = Instant.parse("2026-03-08T09:59:58.990Z");
        for (long ms = 0; ms < 4_000; ms += 7) {
            Instant t = start.plusMillis(ms);
            assertThat(trace.time(t)).as(t.toString()).isEqualTo(f.format(t.atZone(zone)));
        }
        // Going back in time (a virtual clock set back) is a new second too.
        Instant earlier = Instant.parse("2026-01-01T00:00:00.005Z");
        assertThat(trace.time(earlier)).isEqualTo(f.format(earlier.atZone(zone)));
    }
}
