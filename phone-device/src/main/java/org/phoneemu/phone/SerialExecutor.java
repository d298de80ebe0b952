package org.phoneemu.phone;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs one phone's tasks one at a time, in order, on a shared pool: the phone's state needs no locks, and
 * its flash writes never run on a Netty event loop.
 */
final class SerialExecutor implements Executor {
    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    /** The pool thread draining this executor now, if any. */
    private final java.util.concurrent.atomic.AtomicReference<Thread> runner = new java.util.concurrent.atomic.AtomicReference<>();

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
        if (!running) {
            running = true;
            pool.execute(this::drain);
        }
    }

    /** Is the calling thread running one of this executor's tasks now? */
    boolean runsHere() {
        return Thread.currentThread() == runner.get();
    }

    private void drain() {
        Thread me = Thread.currentThread();
        runner.set(me);
        try {
            drainTasks();
        } finally {
            runner.compareAndSet(me, null); // a drain started meanwhile on another thread keeps its mark
        }
    }

    private void drainTasks() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SerialExecutor.class).error("phone task failed", e);
            }
        }
    }
}
