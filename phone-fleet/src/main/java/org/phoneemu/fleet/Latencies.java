package org.phoneemu.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies per {@link Phase} in microseconds, recorded with HdrHistogram from any thread: a running total per
 * phase (for the summary and the live p99) and a {@link Recorder} whose intervals become {@code latency.hlog}.
 */
public final class Latencies {
    /** An interval histogram of one phase, as written to the log. */
    public record Interval(Phase phase, Histogram histogram) {
    }

    /** Percentiles of one phase, in milliseconds. */
    public record Summary(Phase phase, long count, double p50, double p90, double p99, double max) {
    }

    private static final int DIGITS = 3;
    private final Map<Phase, ConcurrentHistogram> totals = new EnumMap<>(Phase.class);
    private final Map<Phase, Recorder> recorders = new EnumMap<>(Phase.class);
    /**
     * Closed intervals, compressed (a few hundred bytes each instead of the tens of KB of a histogram's counts): a
     * long run at one interval a second per phase must not grow the heap by the run's length.
     */
    private final List<byte[]> intervals = Collections.synchronizedList(new ArrayList<>());
    private final long startMillis;
    private volatile java.util.function.ObjLongConsumer<Phase> listener = (p, n) -> { };

    public Latencies(long startMillis) {
        this.startMillis = startMillis;
        for (Phase p : Phase.values()) {
            ConcurrentHistogram h = new ConcurrentHistogram(DIGITS);
            totals.put(p, h);
            recorders.put(p, new Recorder(DIGITS));
        }
    }

    public void record(Phase phase, long nanos) {
        long micros = Math.max(1, nanos / 1000);
        totals.get(phase).recordValue(micros);
        recorders.get(phase).recordValue(micros);
        listener.accept(phase, nanos);
    }

    /** Also hands every latency recorded from now on (nanoseconds) to {@code l}: the hook of live metrics. */
    public void onRecord(java.util.function.ObjLongConsumer<Phase> l) {
        this.listener = java.util.Objects.requireNonNull(l);
    }

    /** Closes the current interval of every phase (called about once a second) and keeps it for the log. */
    public synchronized void closeInterval() { // one at a time: the ticker's and the report's must not pass each other
        for (Phase p : Phase.values()) {
            Histogram h = recorders.get(p).getIntervalHistogram();
            if (h.getTotalCount() > 0) {
                h.setTag(p.tag());
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(h.getNeededByteBufferCapacity());
                int n = h.encodeIntoCompressedByteBuffer(buf);
                byte[] packed = new byte[n + 1];
                packed[0] = (byte) p.ordinal();
                buf.flip();
                buf.get(packed, 1, n);
                intervals.add(packed);
            }
        }
    }

    /** Hands each closed interval, in order, to {@code sink}, decompressing one at a time. */
    public void forEachInterval(java.util.function.Consumer<Interval> sink) {
        List<byte[]> copy;
        synchronized (this) { // after any interval being closed now has been added
            copy = List.copyOf(intervals);
        }
        for (byte[] packed : copy) {
            Phase p = Phase.values()[packed[0]];
            try {
                Histogram h = Histogram.decodeFromCompressedByteBuffer(java.nio.ByteBuffer.wrap(packed, 1, packed.length - 1), 0);
                h.setTag(p.tag());
                sink.accept(new Interval(p, h));
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException("an interval histogram this process compressed does not decompress", e);
            }
        }
    }

    public long startMillis() {
        return startMillis;
    }

    /** A copy of the running total of one phase. */
    public Histogram total(Phase phase) {
        return totals.get(phase).copy();
    }

    public Summary summary(Phase phase) {
        Histogram h = total(phase);
        return new Summary(phase, h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    public List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        for (Phase p : Phase.values()) {
            out.add(summary(p));
        }
        return out;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
