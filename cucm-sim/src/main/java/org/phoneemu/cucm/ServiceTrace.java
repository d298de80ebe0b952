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
 * The cluster's service traces (TFTP, TVS): each line is stamped as CUCM's trace files stamp it, logged at DEBUG
 * and handed to the {@link Cluster#onServiceLog} listeners. Called on server event loops.
 */
final class ServiceTrace {
    // Under the cluster's logger name, as before the split: log configurations filter on it.
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    private static final Logger TVS_TRACE = LoggerFactory.getLogger("org.phoneemu.cucm.trace.tvs");
    private static final Logger TFTP_TRACE = LoggerFactory.getLogger("org.phoneemu.cucm.trace.tftp");
    private static final DateTimeFormatter TRACE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private final Clock clock;
    private final ZoneId zone;
    private final List<Consumer<ServiceLogLine>> listeners = new CopyOnWriteArrayList<>();

    ServiceTrace(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    Registration listen(Consumer<ServiceLogLine> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void trace(String node, ClusterService service, String text) {
        Instant now = clock.instant();
        String formatted = TRACE_TIME.format(now.atZone(zone)) + " | debug " + text;
        Logger log = service == ClusterService.TVS ? TVS_TRACE : TFTP_TRACE;
        if (log.isDebugEnabled()) {
            log.debug("{} {}", node, formatted);
        }
        ServiceLogLine line = new ServiceLogLine(now, node, service, text, formatted);
        for (Consumer<ServiceLogLine> l : listeners) {
            try {
                l.accept(line);
            } catch (RuntimeException e) {
                LOG.warn("service log listener failed: {}", e.toString());
            }
        }
    }
}
