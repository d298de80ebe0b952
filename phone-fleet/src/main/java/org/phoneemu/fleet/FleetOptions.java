package org.phoneemu.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a fleet boots.
 *
 * @param ratePerSecond  phones started per second (the ramp); 0 starts them as fast as the concurrency allows
 * @param maxConcurrent  at most this many phones boot at once
 * @param bootTimeout    a boot not finished by then counts as an error in the phone's row
 * @param flashRoot      each phone's flash under {@code <flashRoot>/SEP<MAC>}; empty: flash in memory
 * @param consoleLines   console lines each phone keeps
 */
public record FleetOptions(double ratePerSecond, int maxConcurrent, Duration bootTimeout, Optional<Path> flashRoot,
                           int consoleLines) {
    public static final int DEFAULT_MAX_CONCURRENT = 32;

    public FleetOptions {
        Objects.requireNonNull(bootTimeout);
        Objects.requireNonNull(flashRoot);
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("the rate must be 0 (as fast as possible) or more");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("the concurrency must be at least 1");
        }
    }

    public static FleetOptions defaults() {
        return new FleetOptions(0, DEFAULT_MAX_CONCURRENT, Duration.ofSeconds(120), Optional.empty(), 48);
    }

    public FleetOptions withRate(double perSecond) {
        return new FleetOptions(perSecond, maxConcurrent, bootTimeout, flashRoot, consoleLines);
    }

    public FleetOptions withMaxConcurrent(int k) {
        return new FleetOptions(ratePerSecond, k, bootTimeout, flashRoot, consoleLines);
    }

    public FleetOptions withBootTimeout(Duration t) {
        return new FleetOptions(ratePerSecond, maxConcurrent, t, flashRoot, consoleLines);
    }

    public FleetOptions withFlashRoot(Optional<Path> root) {
        return new FleetOptions(ratePerSecond, maxConcurrent, bootTimeout, root, consoleLines);
    }

    public FleetOptions withConsoleLines(int lines) {
        return new FleetOptions(ratePerSecond, maxConcurrent, bootTimeout, flashRoot, lines);
    }
}
