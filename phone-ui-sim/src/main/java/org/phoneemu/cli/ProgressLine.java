package org.phoneemu.cli;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A long command's progress on stderr: after {@code every} seconds without an answer, one line every {@code every}
 * seconds saying where it is (overwritten in place on a terminal, a new line otherwise). A SIGINT or SIGTERM before
 * {@link #close} prints one line saying how far it got (the JVM's shutdown hook; the exit code stays the signal's).
 */
final class ProgressLine implements AutoCloseable {
    private final String command;
    private final Supplier<String> where;
    private final PrintWriter err;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer;
    private final Thread onSignal;
    private volatile boolean done;
    private boolean printed;

    ProgressLine(String command, Supplier<String> where, PrintWriter err, long everySeconds) {
        this.command = command;
        this.where = where;
        this.err = err;
        this.terminal = System.console() != null;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, command + "-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, everySeconds, everySeconds, TimeUnit.SECONDS);
        this.onSignal = new Thread(this::interrupted, command + "-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
    }

    private synchronized void tick() {
        if (done) {
            return;
        }
        String line = command + ": " + seconds() + " s, " + where.get();
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
        printed = true;
    }

    private long seconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    }

    private synchronized void interrupted() {
        if (done) {
            return;
        }
        done = true;
        err.print((terminal && printed ? "\r\u001b[K" : "") + command + ": stopped after " + seconds() + " s, no result: " + where.get()
                + System.lineSeparator());
        err.flush();
    }

    @Override
    public synchronized void close() {
        if (done) {
            return;
        }
        done = true;
        timer.shutdownNow();
        if (terminal && printed) {
            err.print("\r\u001b[K");
            err.flush();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs and finds the command done.
        }
    }
}
