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
 * @param maxInFlightPerServer at most this many TFTP reads and HTTP requests in flight to one server address (the
 *                       phones wait for a slot); 0: no cap
 */
public record FleetOptions(RateSchedule rate, int maxConcurrent, Duration bootTimeout, Optional<Path> flashRoot,
                           int consoleLines, int maxInFlightPerServer) {
    public static final int DEFAULT_MAX_CONCURRENT = 32;

    public FleetOptions {
        Objects.requireNonNull(rate);
        Objects.requireNonNull(bootTimeout);
        Objects.requireNonNull(flashRoot);
        if (maxInFlightPerServer < 0) {
            throw new IllegalArgumentException("the cap per server must be 0 (none) or at least 1");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("the concurrency must be at least 1");
        }
    }

    public static FleetOptions defaults() {
        return new FleetOptions(RateSchedule.constant(0), DEFAULT_MAX_CONCURRENT, Duration.ofSeconds(120), Optional.empty(), 48, 0);
    }

    public FleetOptions withRate(double perSecond) {
        return withRate(RateSchedule.constant(perSecond));
    }

    public FleetOptions withRate(RateSchedule schedule) {
        return new FleetOptions(schedule, maxConcurrent, bootTimeout, flashRoot, consoleLines, maxInFlightPerServer);
    }

    public FleetOptions withMaxConcurrent(int k) {
        return new FleetOptions(rate, k, bootTimeout, flashRoot, consoleLines, maxInFlightPerServer);
    }

    public FleetOptions withBootTimeout(Duration t) {
        return new FleetOptions(rate, maxConcurrent, t, flashRoot, consoleLines, maxInFlightPerServer);
    }

    public FleetOptions withFlashRoot(Optional<Path> root) {
        return new FleetOptions(rate, maxConcurrent, bootTimeout, root, consoleLines, maxInFlightPerServer);
    }

    public FleetOptions withConsoleLines(int lines) {
        return new FleetOptions(rate, maxConcurrent, bootTimeout, flashRoot, lines, maxInFlightPerServer);
    }

    public FleetOptions withMaxInFlightPerServer(int n) {
        return new FleetOptions(rate, maxConcurrent, bootTimeout, flashRoot, consoleLines, n);
    }
}
