package org.phoneemu.phone;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.phoneemu.core.clock.VirtualClock;

/**
 * A {@link PhoneTimer} for a {@link VirtualClock}: tasks wait until {@link #advance} moves the clock to their time, and
 * run then, in time order, on the caller's thread. Tests and the lab's stories drive it; {@code lab --keep-running}
 * advances it with the real time. Thread-safe.
 */
public final class VirtualTimer implements PhoneTimer {
    private record Task(Instant due, long order, Runnable run) {
    }

    private final VirtualClock clock;
    private final List<Task> waiting = new ArrayList<>();
    private long order;

    public VirtualTimer(VirtualClock clock) {
        this.clock = clock;
    }

    public VirtualClock clock() {
        return clock;
    }

    @Override
    public synchronized Pending after(Duration delay, Runnable task) {
        Task t = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), order++, task);
        waiting.add(t);
        return () -> {
            synchronized (VirtualTimer.this) {
                waiting.remove(t);
            }
        };
    }

    /** When the first waiting task is due. */
    public synchronized Optional<Instant> next() {
        return waiting.stream().map(Task::due).min(Comparator.naturalOrder());
    }

    /**
     * Moves the clock forward by {@code d}, stopping at each waiting task's time to run it; returns how many ran. A task
     * that schedules another within the interval sees it run in the same call.
     */
    public int advance(Duration d) {
        Instant end = clock.instant().plus(d);
        int ran = 0;
        while (true) {
            Task t;
            synchronized (this) {
                t = waiting.stream().filter(x -> !x.due().isAfter(end))
                        .min(Comparator.comparing(Task::due).thenComparingLong(Task::order)).orElse(null);
                if (t != null) {
                    waiting.remove(t);
                }
            }
            if (t == null) {
                break;
            }
            if (t.due().isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), t.due()));
            }
            t.run().run();
            ran++;
        }
        if (end.isAfter(clock.instant())) {
            clock.advance(Duration.between(clock.instant(), end));
        }
        return ran;
    }
}
