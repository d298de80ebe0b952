package org.phoneemu.fleet;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The phones' work pool, timing each run of a phone's queued tasks (parse, verify, decide, flash write) as
 * {@link Phase#VERIFY}.
 */
final class TimedExecutor implements Executor {
    private final Executor pool;
    private final Latencies latencies;
    private final LongSupplier nanoTime;

    TimedExecutor(Executor pool, Latencies latencies, LongSupplier nanoTime) {
        this.pool = pool;
        this.latencies = latencies;
        this.nanoTime = nanoTime;
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(() -> {
            long start = nanoTime.getAsLong();
            try {
                task.run();
            } finally {
                latencies.record(Phase.VERIFY, nanoTime.getAsLong() - start);
            }
        });
    }
}
