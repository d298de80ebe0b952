package org.phoneemu.fleet.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.fleet.Fleet;
import org.phoneemu.fleet.Phase;
import org.phoneemu.fleet.Verdict;
import org.phoneemu.phone.Phone;

/**
 * A fleet's live metrics in Micrometer: boots by verdict, latencies per {@link Phase} as histograms, phones by trust
 * state and by where they are in the round, TVS cache hits. No label carries a MAC: a 100,000-phone fleet has the same
 * handful of series as a 10-phone one.
 */
public final class FleetMetrics {
    /** Prefix of every meter name ({@code phoneemu_fleet_...} in Prometheus). */
    public static final String PREFIX = "phoneemu.fleet.";

    private FleetMetrics() {
    }

    /** A Prometheus registry with the fleet's meters bound. */
    public static PrometheusMeterRegistry prometheus(Fleet fleet) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bind(fleet, registry);
        return registry;
    }

    /** Registers the fleet's meters on {@code registry} and hooks the fleet's boots and latencies to them. */
    public static void bind(Fleet fleet, MeterRegistry registry) {
        Map<Verdict, Counter> boots = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            if (v != Verdict.PENDING) {
                boots.put(v, Counter.builder(PREFIX + "boots").description("finished boots by verdict").tag("verdict", v.word())
                        .register(registry));
            }
        }
        fleet.onBootDone(row -> boots.get(row.verdict()).increment());

        Map<Phase, Timer> timers = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            timers.put(p, Timer.builder(PREFIX + "latency").description("latency of one " + p.label()).tag("phase", p.tag())
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                    .register(registry));
        }
        fleet.latencies().onRecord((phase, nanos) -> timers.get(phase).record(nanos, TimeUnit.NANOSECONDS));

        for (TrustState s : TrustState.values()) {
            Gauge.builder(PREFIX + "phones", fleet, f -> count(f, s)).description("phones by trust state")
                    .tag("trust_state", s.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder(PREFIX + "round.phones", fleet, f -> f.status().waiting()).tag("state", "waiting")
                .description("phones of the current round by where they are").register(registry);
        Gauge.builder(PREFIX + "round.phones", fleet, f -> f.status().booting()).tag("state", "booting")
                .description("phones of the current round by where they are").register(registry);
        Gauge.builder(PREFIX + "round.phones", fleet, f -> f.status().done()).tag("state", "done")
                .description("phones of the current round by where they are").register(registry);
        Gauge.builder(PREFIX + "tvs.waiting", fleet, f -> f.status().waitingOnTvs())
                .description("phones waiting for a TVS answer now").register(registry);
        FunctionCounter.builder(PREFIX + "tvs.cache.hits", fleet, FleetMetrics::tvsCacheHits)
                .description("certificate checks answered from the phones' TVS caches, without asking TVS").register(registry);
    }

    private static double count(Fleet fleet, TrustState state) {
        int n = 0;
        for (Phone p : fleet.phones()) {
            if (p.trustState() == state) {
                n++;
            }
        }
        return n;
    }

    private static double tvsCacheHits(Fleet fleet) {
        long n = 0;
        for (Phone p : fleet.phones()) {
            n += p.securityDaemon().tvsCache().hits();
        }
        return n;
    }
}
