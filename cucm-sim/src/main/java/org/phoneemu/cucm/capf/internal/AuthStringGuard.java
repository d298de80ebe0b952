package org.phoneemu.cucm.capf.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Counts wrong authentication strings per device and authentication string, cluster-wide, so that the string cannot
 * be guessed: after {@code maxFailures} wrong ones, every session for that device is refused until {@code lockout}
 * has passed since the last failure (or the administrator generates a new string, which starts a new count). A
 * guess is counted from the moment it is judged: sessions that guess in parallel share the budget, they do not
 * each get {@code maxFailures}. Thread-safe.
 */
public final class AuthStringGuard {
    private final Supplier<Clock> clock;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        int failures;
        int inFlight;
        Instant lastFailure = Instant.EPOCH;
    }

    public AuthStringGuard(Supplier<Clock> clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    private static String key(String device, String authString) {
        return device + "\u0000" + authString;
    }

    /**
     * Takes one guess for {@code device}: empty when it may be judged (then call {@link #judged}), else how long the
     * device stays locked.
     */
    public synchronized Optional<Duration> begin(String device, String authString, int maxFailures, Duration lockout) {
        Entry e = entries.computeIfAbsent(key(device, authString), k -> new Entry());
        Instant now = clock.get().instant();
        Instant until = e.lastFailure.plus(lockout);
        if (e.failures >= maxFailures && now.isAfter(until)) {
            e.failures = 0; // the lock has run out: a new budget
        }
        if (e.failures + e.inFlight >= maxFailures) {
            Duration left = Duration.between(now, until);
            return Optional.of(left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left);
        }
        e.inFlight++;
        return Optional.empty();
    }

    /** The guess taken by {@link #begin} was right or wrong. */
    public synchronized void judged(String device, String authString, boolean right) {
        Entry e = entries.get(key(device, authString));
        if (e == null) {
            return;
        }
        e.inFlight = Math.max(0, e.inFlight - 1);
        if (right) {
            entries.remove(key(device, authString));
        } else {
            e.failures++;
            e.lastFailure = clock.get().instant();
        }
    }

    /** Wrong strings counted for the device's current string (for tests and the trace). */
    public synchronized int failures(String device, String authString) {
        Entry e = entries.get(key(device, authString));
        return e == null ? 0 : e.failures;
    }
}
