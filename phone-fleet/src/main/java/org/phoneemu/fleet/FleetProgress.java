package org.phoneemu.fleet;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A run's live progress: one rewritten line on a terminal (every second), plain lines every few seconds otherwise,
 * and each round's line at its end. Writes hold the console's lock, so a line is never cut by another.
 */
final class FleetProgress implements AutoCloseable {
    private final Fleet fleet;
    private final PrintWriter out;
    private final boolean terminal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-progress");
        t.setDaemon(true);
        return t;
    });

    FleetProgress(Fleet fleet, PrintWriter out, boolean terminal, int everySeconds) {
        this.fleet = fleet;
        this.out = out;
        this.terminal = terminal;
        long every = terminal ? 1 : everySeconds;
        if (every > 0) {
            timer.scheduleAtFixedRate(this::print, every, every, TimeUnit.SECONDS);
        }
    }

    private void print() {
        String line = line(fleet.status());
        synchronized (out) {
            if (terminal) {
                out.print("\r" + line + "   ");
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    void endOfRound(RoundResult r, double cpuSeconds) {
        synchronized (out) {
            if (terminal) {
                out.print("\r");
            }
            out.println(line(fleet.status()));
            out.println(String.format(Locale.ROOT, "%s: %d boots in %.2f s = %.1f boots/s (%.1f CPU s = %.0f boots per CPU second)%s",
                    r.name(), r.boots(), r.seconds(), r.bootsPerSecond(), cpuSeconds, cpuSeconds > 0 ? r.boots() / cpuSeconds : 0,
                    r.stopped() ? "; stopped, " + r.unfinished() + " phones did not finish" : ""));
            out.flush();
        }
    }

    static String line(FleetStatus s) {
        return String.format(Locale.ROOT, "[%s] booted %d/%d: trusted %d, locked %d, config-refused %d, errors %d, server-refused %d; booting %d, on TVS %d; %.0f boots/s; p99 %.0f ms",
                s.round() <= 0 ? "first boot" : "reboot " + s.round(), s.done(), s.phones(), s.count(Verdict.TRUSTED), s.count(Verdict.LOCKED),
                s.count(Verdict.CONFIG_REFUSED), s.count(Verdict.ERROR), s.count(Verdict.SERVER_REFUSED), s.booting(), s.waitingOnTvs(),
                s.bootsPerSecond(), s.p99BootMillis())
                + (s.count(Verdict.NOT_BOOTED) + s.count(Verdict.INTERRUPTED) == 0 ? ""
                : String.format(Locale.ROOT, "; stopped: not booted %d, interrupted %d", s.count(Verdict.NOT_BOOTED), s.count(Verdict.INTERRUPTED)));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
