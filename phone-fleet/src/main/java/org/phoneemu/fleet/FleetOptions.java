package org.phoneemu.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a fleet boots.
 *
 * @param rate           phones started per second (the ramp), in steps; 0 starts them as fast as the concurrency allows
 * @param maxConcurrent  at most this many phones boot at once
 * @param bootTimeout    a boot not finished by then counts as an error in the phone's row
 * @param flashRoot      each phone's flash under {@code <flashRoot>/SEP<MAC>}; empty: flash in memory
 * @param consoleLines   console lines each phone keeps
 */
public record FleetOptions(RateSchedule rate, int maxConcurrent, Duration bootTimeout, Optional<Path> flashRoot,
                           int consoleLines) {
    public static final int DEFAULT_MAX_CONCURRENT = 32;

    public FleetOptions {
        Objects.requireNonNull(rate);
        Objects.requireNonNull(bootTimeout);
        Objects.requireNonNull(flashRoot);
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("the concurrency must be at least 1");
        }
    }

    public static FleetOptions defaults() {
        return new FleetOptions(RateSchedule.constant(0), DEFAULT_MAX_CONCURRENT, Duration.ofSeconds(120), Optional.empty(), 48);
    }

    public FleetOptions withRate(double perSecond) {
        return withRate(RateSchedule.constant(perSecond));
    }

    public FleetOptions withRate(RateSchedule schedule) {
        return new FleetOptions(schedule, maxConcurrent, bootTimeout, flashRoot, consoleLines);
    }

    public FleetOptions withMaxConcurrent(int k) {
        return new FleetOptions(rate, k, bootTimeout, flashRoot, consoleLines);
    }

    public FleetOptions withBootTimeout(Duration t) {
        return new FleetOptions(rate, maxConcurrent, t, flashRoot, consoleLines);
    }

    public FleetOptions withFlashRoot(Optional<Path> root) {
        return new FleetOptions(rate, maxConcurrent, bootTimeout, root, consoleLines);
    }

    public FleetOptions withConsoleLines(int lines) {
        return new FleetOptions(rate, maxConcurrent, bootTimeout, flashRoot, lines);
    }
}
