package org.phoneemu.core.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when told to: scenarios jump 86400 s (TVS cache) or 5 minutes (CUCM hold timer)
 * without waiting. Thread-safe; every copy from {@link #withZone} shares the same time.
 */
public final class VirtualClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public VirtualClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private VirtualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves time forward by {@code d} (never backwards). */
    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a virtual clock does not go backwards: " + d);
        }
        return now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new VirtualClock(now, zone);
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
