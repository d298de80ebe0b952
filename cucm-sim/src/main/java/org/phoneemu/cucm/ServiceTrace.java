package org.phoneemu.cucm;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's service traces (TFTP, TVS): each line is stamped as CUCM's trace files stamp it, written to the
 * service's trace file in the cluster's state folder ({@link TraceFiles}, off the event loop) and handed to the
 * {@link Cluster#onServiceLog} listeners. Not logged: the traces are files, as on CUCM, not stderr. Called on
 * server event loops.
 */
final class ServiceTrace {
    // Under the cluster's logger name, as before the split: log configurations filter on it.
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    private static final DateTimeFormatter TRACE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private final Clock clock;
    private final ZoneId zone;
    private final List<Consumer<ServiceLogLine>> listeners = new CopyOnWriteArrayList<>();
    private final TraceFiles files;

    ServiceTrace(Clock clock, ZoneId zone, TraceFiles files) {
        this.clock = clock;
        this.zone = zone;
        this.files = files;
    }

    TraceFiles files() {
        return files;
    }

    Registration listen(Consumer<ServiceLogLine> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The "HH:mm:ss." of one second in the cluster's zone: formatting it anew for every line was 4 % of a boot storm's CPU. */
    private record SecondPrefix(long epochSecond, String text) {
    }

    private volatile SecondPrefix lastSecond = new SecondPrefix(Long.MIN_VALUE, "");

    /** {@code now} as {@code HH:mm:ss.SSS} in the cluster's zone. */
    String time(Instant now) {
        SecondPrefix p = lastSecond;
        if (p.epochSecond() != now.getEpochSecond()) {
            String full = TRACE_TIME.format(now.atZone(zone));
            p = new SecondPrefix(now.getEpochSecond(), full.substring(0, full.length() - 3));
            lastSecond = p;
        }
        int millis = now.getNano() / 1_000_000;
        return p.text() + (millis < 10 ? "00" : millis < 100 ? "0" : "") + millis;
    }

    void trace(String node, ClusterService service, String text) {
        Instant now = clock.instant();
        String formatted = time(now) + " | debug " + text;
        ServiceLogLine line = new ServiceLogLine(now, node, service, text, formatted);
        files.append(line);
        for (Consumer<ServiceLogLine> l : listeners) {
            try {
                l.accept(line);
            } catch (RuntimeException e) {
                LOG.warn("service log listener failed: {}", e.toString());
            }
        }
    }
}
