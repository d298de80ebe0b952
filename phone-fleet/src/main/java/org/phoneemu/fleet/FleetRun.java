package org.phoneemu.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The rounds of one fleet run: the first boot and R reboots, with a hook before each round (the admin command of
 * {@code --admin-before}), the CPU time each round cost, and a stop that can come at any moment: a signal
 * ({@link #stop(String)}) or the run's deadline. A stopped run starts no more phones, gives those booting the grace
 * period, and ends with every phone's row set (unfinished phones marked), so the report is complete either way.
 */
public final class FleetRun {
    /** What a run did: its rounds (the stopped one included), each round's CPU seconds, and why it stopped, if it did. */
    public record Outcome(List<RoundResult> rounds, List<Double> cpuSecondsPerRound, Optional<String> stopped) {
    }

    /** Told at the end of each round, with the round's CPU seconds. */
    public interface RoundListener {
        void roundEnded(RoundResult round, double cpuSeconds);
    }

    private final Fleet fleet;
    private final int reboots;
    private final Duration grace;
    private final Optional<Duration> maxDuration;
    private IntConsumer beforeRound = r -> { };
    private RoundListener listener = (r, c) -> { };

    /**
     * @param grace       how long phones booting when the run stops may still take to end
     * @param maxDuration the run's deadline, counted from {@link #run()}; empty: none
     */
    public FleetRun(Fleet fleet, int reboots, Duration grace, Optional<Duration> maxDuration) {
        this.fleet = Objects.requireNonNull(fleet);
        if (reboots < 0) {
            throw new IllegalArgumentException("reboots must be 0 or more");
        }
        this.reboots = reboots;
        this.grace = Objects.requireNonNull(grace);
        this.maxDuration = Objects.requireNonNull(maxDuration);
    }

    /** Runs before round {@code r} starts (1..R are reboots); not run once the run has stopped. */
    public FleetRun beforeRound(IntConsumer hook) {
        this.beforeRound = Objects.requireNonNull(hook);
        return this;
    }

    public FleetRun onRoundEnd(RoundListener l) {
        this.listener = Objects.requireNonNull(l);
        return this;
    }

    /** Stops the run (from any thread, e.g. a signal handler); the first reason is the one reported. */
    public void stop(String reason) {
        fleet.stop(reason, grace);
    }

    /** Runs every round, or until stopped; returns when every phone's row is final. */
    public Outcome run() throws InterruptedException {
        ScheduledExecutorService deadline = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-deadline");
            t.setDaemon(true);
            return t;
        });
        try {
            maxDuration.ifPresent(d -> deadline.schedule(() -> stop("--max-duration " + Durations.show(d) + " reached"),
                    d.toMillis(), TimeUnit.MILLISECONDS));
            List<RoundResult> rounds = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int r = 0; r <= reboots; r++) {
                if (fleet.stopped().isEmpty()) {
                    beforeRound.accept(r);
                }
                double cpu0 = ProcessCpu.seconds();
                RoundResult rr;
                try {
                    // Once stopped, this round marks its phones not-booted and ends at once.
                    rr = fleet.bootRound().get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("fleet round " + r + ": " + e.getCause(), e.getCause());
                }
                double c = ProcessCpu.seconds() - cpu0;
                cpu.add(c);
                rounds.add(rr);
                listener.roundEnded(rr, c);
                if (rr.stopped()) {
                    break;
                }
            }
            // A stop that came after the last round changed nothing: the run is complete.
            Optional<String> stopped = rounds.stream().anyMatch(RoundResult::stopped) ? fleet.stopped() : Optional.empty();
            return new Outcome(List.copyOf(rounds), List.copyOf(cpu), stopped);
        } finally {
            deadline.shutdownNow();
        }
    }

    /** Durations as the run's messages write them. */
    static final class Durations {
        private Durations() {
        }

        static String show(Duration d) {
            long s = d.toSeconds();
            if (d.toMillis() % 1000 != 0) {
                return d.toMillis() + " ms";
            }
            if (s % 3600 == 0 && s > 0) {
                return s / 3600 + "h";
            }
            if (s % 60 == 0 && s > 0) {
                return s / 60 + "m";
            }
            return s + "s";
        }
    }
}
