package org.phoneemu.net;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;

/**
 * A WARN that a hostile client can trigger at will (a malformed frame, a reset, a refused connection): the first
 * one of each interval is logged as it is, the others are only counted and summarised in one line when the next
 * interval starts, so an attack of 60,000 bad frames writes a few lines, not 60,000. Thread-safe.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final String what;
    private final Duration interval;
    private final Clock clock;
    private Instant windowStart;
    private long suppressed;
    private final Set<String> suppressedPeers = new HashSet<>();

    /** @param what names the event in the summary line, e.g. "malformed TVS frames" */
    public RateLimitedLog(Logger log, String what, Duration interval, Clock clock) {
        this.log = Objects.requireNonNull(log);
        this.what = Objects.requireNonNull(what);
        this.interval = Objects.requireNonNull(interval);
        this.clock = Objects.requireNonNull(clock);
    }

    /** One event per 10 s logged in full, on the system clock. */
    public RateLimitedLog(Logger log, String what) {
        this(log, what, Duration.ofSeconds(10), Clock.systemUTC());
    }

    /** Logs {@code message} (about {@code peer}) at WARN, or counts it when one was already logged in this interval. */
    public void warn(String peer, String message) {
        String summary = null;
        synchronized (this) {
            Instant now = clock.instant();
            if (windowStart != null && now.isBefore(windowStart.plus(interval))) {
                suppressed++;
                if (suppressedPeers.size() < 10_000) {
                    suppressedPeers.add(peer);
                }
                return;
            }
            if (suppressed > 0) {
                summary = suppressed + " more " + what + " since " + windowStart + " from " + suppressedPeers.size()
                        + (suppressedPeers.size() >= 10_000 ? "+" : "") + " address(es) were not logged";
            }
            windowStart = now;
            suppressed = 0;
            suppressedPeers.clear();
        }
        if (summary != null) {
            log.warn(summary);
        }
        log.warn(message);
    }

    /** Events counted but not logged since the last logged one (for tests and the admin shell). */
    public synchronized long suppressed() {
        return suppressed;
    }
}
