package org.phoneemu.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT turned into an orderly stop: the first one calls the handler with the signal's name (the
 * command then finishes its work and writes what it has); a second one ends the process at once with the shell's
 * usual code (128 + the signal's number), for a user who does not want to wait for the grace period.
 *
 * <p>Kubernetes ends a preempted pod, and one past its deadline, with SIGTERM; Ctrl-C sends SIGINT.
 */
final class StopSignals implements AutoCloseable {
    private final List<Signal> installed = new ArrayList<>();
    private final List<sun.misc.SignalHandler> previous = new ArrayList<>();
    private volatile boolean received;

    private StopSignals() {
    }

    /** Installs the handlers; a platform without these signals installs nothing (the default handling stays). */
    static StopSignals install(Consumer<String> onStop) {
        StopSignals s = new StopSignals();
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal sig = new Signal(name);
                s.previous.add(Signal.handle(sig, fired -> {
                    if (s.received) {
                        Runtime.getRuntime().halt(128 + fired.getNumber());
                    }
                    s.received = true;
                    onStop.accept("SIG" + fired.getName());
                }));
                s.installed.add(sig);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not on this platform, or the JVM reserves it (-Xrs): the default handling stays
            }
        }
        return s;
    }

    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
    }
}
