package org.phoneemu.web;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Boot counts, boots per second and the boot latency distribution of a fleet, for the dashboard. Whoever boots
 * phones records each boot here ({@link #time}); the latencies go into an HdrHistogram (1 ms to 10 min, 3
 * significant digits). Wall time comes from the injected nano-time source, not from the phones' clock, which may be
 * virtual.
 */
public final class BootStats {
    /** Boots per second are counted over this window. */
    static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LongSupplier nanoTime;
    private final Histogram latencyMillis = new Histogram(1, TimeUnit.MINUTES.toMillis(10), 3);
    private final Deque<Long> recentEnds = new ArrayDeque<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> booting = new java.util.concurrent.ConcurrentHashMap<>();
    /** Phones whose last boot a server refused (a fleet knows it from the downloads; the phone's own report does not). */
    private final java.util.Set<String> serverRefused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long started;
    private long finished;

    public BootStats() {
        this(System::nanoTime);
    }

    public BootStats(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Starts {@code boot} now and records its latency when it completes (normally or not). */
    public <T> CompletableFuture<T> time(Supplier<CompletableFuture<T>> boot) {
        return time(null, boot);
    }

    /** The same for the phone with this MAC, which the dashboard shows as booting meanwhile. */
    public <T> CompletableFuture<T> time(String mac, Supplier<CompletableFuture<T>> boot) {
        if (mac != null) {
            booting.merge(mac, 1, Integer::sum);
        }
        long t0 = begin();
        Runnable done = () -> {
            end(t0);
            if (mac != null) {
                booting.computeIfPresent(mac, (k, n) -> n > 1 ? n - 1 : null);
            }
        };
        CompletableFuture<T> f;
        try {
            f = boot.get();
        } catch (RuntimeException e) {
            done.run();
            throw e;
        }
        f.whenComplete((r, e) -> done.run());
        return f;
    }

    /**
     * Records whether a TFTP server refused or did not serve what the last boot of the phone with this MAC needed (an
     * error packet, no answer, too slow): its row then says "server refused", whatever the trust state.
     */
    public void serverRefused(String mac, boolean refused) {
        if (refused) {
            serverRefused.add(mac);
        } else {
            serverRefused.remove(mac);
        }
    }

    /** Whether a server refused the last boot of the phone with this MAC ({@link #serverRefused(String, boolean)}). */
    public boolean serverRefused(String mac) {
        return serverRefused.contains(mac);
    }

    /** Whether the phone with this MAC is booting now (as recorded through {@link #time(String, Supplier)}). */
    public boolean booting(String mac) {
        return booting.containsKey(mac);
    }

    /** Marks a boot as started; returns the start time to give to {@link #end}. */
    public long begin() {
        synchronized (this) {
            started++;
        }
        return nanoTime.getAsLong();
    }

    /** Marks the boot started at {@code startNanos} as finished. */
    public void end(long startNanos) {
        long now = nanoTime.getAsLong();
        long millis = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(now - startNanos), latencyMillis.getHighestTrackableValue()));
        synchronized (this) {
            finished++;
            latencyMillis.recordValue(millis);
            recentEnds.addLast(now);
            trim(now);
        }
    }

    private void trim(long now) {
        while (!recentEnds.isEmpty() && now - recentEnds.peekFirst() > RATE_WINDOW_NANOS) {
            recentEnds.removeFirst();
        }
    }

    /** The numbers now. */
    public synchronized Snapshot snapshot() {
        trim(nanoTime.getAsLong());
        double rate = recentEnds.size() / (RATE_WINDOW_NANOS / 1e9);
        Histogram h = latencyMillis.copy();
        return new Snapshot(started, finished, started - finished, rate, h);
    }

    /** Boot counters and a copy of the latency histogram (milliseconds). */
    public record Snapshot(long started, long finished, long inFlight, double bootsPerSecond, Histogram latencyMillis) {
        public long percentile(double p) {
            return latencyMillis.getTotalCount() == 0 ? 0 : latencyMillis.getValueAtPercentile(p);
        }

        /** How many boots took at most {@code upper} ms and more than {@code lower} ms. */
        public long countBetween(long lower, long upper) {
            return latencyMillis.getTotalCount() == 0 ? 0 : latencyMillis.getCountBetweenValues(lower + 1, upper);
        }
    }
}
