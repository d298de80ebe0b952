package org.phoneemu.cli;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A long command's progress on stderr: after {@code every} seconds without an answer, one line every {@code every}
 * seconds saying where it is. On a terminal the line is overwritten in place and erased at the end, so a mistake
 * still leaves one line; elsewhere (a pipe, a log file) lines are printed only when asked for ({@code periodic}),
 * as each stays. A SIGINT or SIGTERM before {@link #close} prints one line saying how far it got (the JVM's shutdown
 * hook; the exit code stays the signal's).
 */
final class ProgressLine implements AutoCloseable {
    private final String command;
    private final Supplier<String> where;
    private final PrintWriter err;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer;
    private final Thread onSignal;
    private final boolean periodic;
    private volatile boolean done;
    private boolean printed;

    ProgressLine(String command, Supplier<String> where, PrintWriter err, long everySeconds, boolean periodic) {
        this.command = command;
        this.where = where;
        this.err = err;
        this.terminal = stderrIsTerminal();
        this.periodic = periodic;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, command + "-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, everySeconds, everySeconds, TimeUnit.SECONDS);
        this.onSignal = new Thread(this::interrupted, command + "-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
    }

    /** Linux names a terminal descriptor /dev/pts/N or /dev/ttyN; elsewhere, a console means a terminal. */
    private static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    private synchronized void tick() {
        if (done || !terminal && !periodic) {
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
