package org.phoneemu.phone;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once a delay on the phone's clock has passed: a real timer for a real clock ({@link #real}), a
 * {@link VirtualTimer} for a virtual one. The task must only hand work on (to the phone's executor); it runs on the
 * timer's thread.
 */
public interface PhoneTimer {
    /** A task waiting for its time; cancelling one that ran does nothing. */
    interface Pending {
        void cancel();
    }

    Pending after(Duration delay, Runnable task);

    /** A timer on the real clock: {@code scheduler}'s thread waits, never an event loop. */
    static PhoneTimer real(ScheduledExecutorService scheduler) {
        return (delay, task) -> {
            ScheduledFuture<?> f = scheduler.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        };
    }
}
