package org.phoneemu.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.text.FailureText;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PhoneBuilder;
import org.phoneemu.phone.PhoneNetwork;

/**
 * Many emulated phones on one phone network (one set of Netty event loops) and one work pool, booted in rounds:
 * round 0 is the first boot, each further round reboots every phone once. A round starts phones at the ramp's
 * rate with at most K booting at once; each phone's row says how its last boot ended, and a boot that does not
 * finish in time is an error in its row, never a missing row. Latencies per {@link Phase} go to {@link Latencies}.
 *
 * <p>{@link #status()} and {@link #rows()} are a read-only live view, safe from any thread while rounds run.
 */
public final class Fleet implements AutoCloseable {
    private final List<Device> devices;
    private final List<Phone> phones;
    private volatile Function<Phone, CompletableFuture<BootReport>> bootStarter = Phone::boot;
    private final AtomicReferenceArray<PhoneResult> rows;
    private final FleetOptions options;
    private final Latencies latencies;
    private final LongSupplier nanoTime;
    private final ExecutorService ownWork;
    private final ScheduledExecutorService ticker;
    private final ScheduledFuture<?> intervals;
    private final long setupNanos;
    private final AtomicLong totalBoots = new AtomicLong();
    /** Null for a fleet over phones built elsewhere. */
    private final TimedPhoneNetwork network;
    private volatile Round current;
    /** Why the run was stopped (a signal, a deadline); null while it runs. */
    private volatile String stopReason;
    private volatile java.util.function.Consumer<PhoneResult> bootDone = r -> { };
    private int rounds;
    /** The cap on requests in flight per server; null without one. */
    private ServerSlots serverSlots;

    private Fleet(List<Device> devices, List<Phone> phones, FleetOptions options, Latencies latencies, LongSupplier nanoTime,
                  ExecutorService ownWork, long setupNanos, Clock clock, TimedPhoneNetwork network) {
        this.network = network;
        this.devices = List.copyOf(devices);
        this.phones = List.copyOf(phones);
        this.options = options;
        this.latencies = latencies;
        this.nanoTime = nanoTime;
        this.ownWork = ownWork;
        this.setupNanos = setupNanos;
        this.rows = new AtomicReferenceArray<>(devices.size());
        for (int i = 0; i < devices.size(); i++) {
            rows.set(i, PhoneResult.waiting(devices.get(i)));
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-ramp");
            t.setDaemon(true);
            return t;
        });
        this.intervals = ticker.scheduleAtFixedRate(() -> latencies.closeInterval(), 1, 1, TimeUnit.SECONDS);
    }

    /** What a fleet is built from; {@link #build()} creates every phone (the set-up). */
    public static final class Builder {
        private List<Device> devices = List.of();
        private List<InetSocketAddress> tftpServers = List.of();
        private PhoneNetwork network;
        private FleetOptions options = FleetOptions.defaults();
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private MicPool mics;
        private Function<Device, Optional<KeyMaterial>> lsc = d -> Optional.empty();
        private Function<Device, org.phoneemu.phone.Provisioning> provisioning = d -> org.phoneemu.phone.Provisioning.byModel(d.model());
        private int workThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private boolean registers;
        private boolean keepsRegistrations;

        public Builder devices(List<Device> devices) {
            this.devices = List.copyOf(devices);
            return this;
        }

        /** The phones' TFTP servers in option-150 order. */
        public Builder tftpServers(List<InetSocketAddress> servers) {
            this.tftpServers = List.copyOf(servers);
            return this;
        }

        public Builder network(PhoneNetwork network) {
            this.network = network;
            return this;
        }

        public Builder options(FleetOptions options) {
            this.options = options;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The monotonic time source of latencies and rates (default {@link System#nanoTime}). */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            return this;
        }

        /** MICs from a key pool; without one each phone generates its own 1024-bit key (slow for large fleets). */
        public Builder mics(MicPool pool) {
            this.mics = pool;
            return this;
        }

        /** The LSC a device holds, if any (e.g. issued by a simulated cluster's CAPF, or read from the devices file). */
        /** Each phone's download path and HTTP ports (docs/PROTOCOLS.md §4); by default its model's, on 6970/6971. */
        public Builder provisioning(Function<Device, org.phoneemu.phone.Provisioning> provisioning) {
            this.provisioning = java.util.Objects.requireNonNull(provisioning, "provisioning");
            return this;
        }

        public Builder lsc(Function<Device, Optional<KeyMaterial>> lsc) {
            this.lsc = lsc;
            return this;
        }

        /**
         * Whether each phone registers to CallManager after a verified config (docs/SIP.md); off by default: a fleet
         * against a production cluster registers only when its user asks.
         */
        public Builder registers(boolean on) {
            this.registers = on;
            return this;
        }

        /**
         * Whether each phone keeps its registration's connection open (and the next CallManager's warm) from its boot's
         * registration on, to be renewed on it ({@link KeptRegistrations}); off by default: a boot storm leaves none.
         */
        public Builder keepsRegistrations(boolean on) {
            this.keepsRegistrations = on;
            return this;
        }

        public Builder workThreads(int n) {
            this.workThreads = n;
            return this;
        }

        public Fleet build() throws IOException {
            if (network == null) {
                throw new IllegalStateException("no phone network");
            }
            long start = nanoTime.getAsLong();
            Latencies latencies = new Latencies(clock.millis());
            ExecutorService work = Executors.newFixedThreadPool(workThreads, r -> {
                Thread t = new Thread(r, "phone-work");
                t.setDaemon(true);
                return t;
            });
            ServerSlots slots = options.maxInFlightPerServer() > 0 ? new ServerSlots(options.maxInFlightPerServer()) : null;
            TimedPhoneNetwork timed = new TimedPhoneNetwork(slots == null ? network : new CappedPhoneNetwork(network, slots), latencies, nanoTime);
            TimedExecutor pool = new TimedExecutor(work, latencies, nanoTime);
            Phone[] built = new Phone[devices.size()];
            try {
                // MIC certificates are RSA signatures: spread the set-up over the cores.
                IntStream.range(0, devices.size()).parallel().forEach(i -> {
                    Device d = devices.get(i);
                    PhoneBuilder b = Phone.builder().mac(d.mac()).model(d.model()).clock(clock).network(timed).executor(pool)
                            .consoleCapacity(options.consoleLines()).registers(registers).reportsTrustLists(false);
                    options.flashRoot().ifPresentOrElse(root -> b.flash(root.resolve(d.name())), b::memoryFlash);
                    if (mics != null) {
                        b.micSource(() -> mics.issue("CP-" + d.model() + "-" + d.name()));
                    } else {
                        b.micBits(1024);
                    }
                    lsc.apply(d).ifPresent(b::lsc);
                    b.provisioning(provisioning.apply(d));
                    tftpServers.forEach(b::tftpServer);
                    try {
                        built[i] = b.build().keepsSipConnections(keepsRegistrations);
                    } catch (IOException e) {
                        throw new UncheckedIOException(d.name() + ": " + e.getMessage(), e);
                    }
                });
            } catch (UncheckedIOException e) {
                work.shutdownNow();
                throw e.getCause();
            }
            Fleet fleet = new Fleet(devices, List.of(built), options, latencies, nanoTime, work, nanoTime.getAsLong() - start, clock, timed);
            fleet.serverSlots = slots;
            return fleet;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fleet over phones built elsewhere (the lab's); they keep their own network and pool, so phases are not timed. */
    public static Fleet of(List<Phone> phones, FleetOptions options, Clock clock) {
        List<Device> devices = phones.stream().map(p -> new Device(p.mac(),
                p.deviceName().substring(3, p.deviceName().lastIndexOf("-SEP")))).toList();
        return new Fleet(devices, phones, options, new Latencies(clock.millis()), System::nanoTime, null, 0, clock, null);
    }

    /** How each boot is started; the lab wraps {@link Phone#boot()} to time boots for its dashboard. */
    public void startBootsWith(Function<Phone, CompletableFuture<BootReport>> starter) {
        this.bootStarter = Objects.requireNonNull(starter);
    }

    // ---- rounds ------------------------------------------------------------------------------------------------

    /**
     * Boots every phone once (the first call: the first boot; later calls: reboots). Rounds do not overlap: a call
     * during a round starts its round when that one ends.
     */
    public synchronized CompletableFuture<RoundResult> bootRound() {
        if (current != null && !current.result.isDone()) {
            return current.result.handle((r, e) -> null).thenCompose(v -> bootRound());
        }
        for (int i = 0; i < rows.length(); i++) {
            rows.set(i, rows.get(i).waitingAgain());
        }
        Round r = new Round(rounds++);
        current = r;
        r.start();
        return r.result;
    }

    /**
     * Stops the run: no phone starts booting any more; the phones booting now get {@code grace} to finish, then the
     * round ends with each phone that did not finish marked ({@link Verdict#NOT_BOOTED} when its boot of the round
     * never started, {@link Verdict#INTERRUPTED} when it was cut short). Rows of later rounds say not-booted at once.
     * Safe from any thread (a signal handler's); the first reason wins.
     */
    public void stop(String reason, java.time.Duration grace) {
        synchronized (this) {
            if (stopReason != null) {
                return;
            }
            stopReason = Objects.requireNonNull(reason);
        }
        Round r = current;
        if (r != null) {
            r.stop(grace);
        }
    }

    /** Why the run was stopped, if it was. */
    public Optional<String> stopped() {
        return Optional.ofNullable(stopReason);
    }

    /** One round: a ramp (token bucket refilled by the ticker) and a concurrency limit; nothing blocks. */
    private final class Round {
        final int index;
        final CompletableFuture<RoundResult> result = new CompletableFuture<>();
        final long startNanos = nanoTime.getAsLong();
        int next;
        int inFlight;
        int done;
        /** Set once the round has ended, normally or stopped: a boot ending later changes no row. */
        boolean closed;
        boolean stopping;
        final Ramp ramp = new Ramp(options.rate(), startNanos);
        volatile ScheduledFuture<?> refill;

        Round(int index) {
            this.index = index;
        }

        void start() {
            if (phones.isEmpty()) {
                finish();
                return;
            }
            if (stopReason != null) {
                stop(java.time.Duration.ZERO);
                return;
            }
            if (options.rate().limited()) {
                refill = ticker.scheduleAtFixedRate(this::pump, 10, 10, TimeUnit.MILLISECONDS);
            }
            pump();
        }

        void pump() {
            List<Integer> launch = new ArrayList<>();
            synchronized (this) {
                ramp.refill(nanoTime.getAsLong());
                while (!stopping && next < phones.size() && inFlight < options.maxConcurrent() && ramp.tryStart()) {
                    inFlight++;
                    rows.set(next, rows.get(next).booting());
                    launch.add(next++);
                }
                if ((stopping || next >= phones.size()) && refill != null) {
                    refill.cancel(false);
                }
            }
            launch.forEach(this::launch);
        }

        void launch(int i) {
            Phone phone = phones.get(i);
            Device d = devices.get(i);
            long t0 = nanoTime.getAsLong();
            int boots = rows.get(i).boots() + 1;
            if (network != null) {
                network.clearFailure(d.mac());
            }
            CompletableFuture<BootReport> boot;
            try {
                boot = bootStarter.apply(phone);
            } catch (RuntimeException e) {
                boot = CompletableFuture.failedFuture(e);
            }
            boot.orTimeout(options.bootTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
                long nanos = nanoTime.getAsLong() - t0;
                latencies.record(Phase.BOOT, nanos);
                long millis = nanos / 1_000_000;
                PhoneResult row;
                if (e == null) {
                    row = PhoneResult.done(d, r, millis, boots);
                    Optional<TimedPhoneNetwork.DownloadFailure> failure = network == null ? Optional.empty() : network.failure(d.mac());
                    if (failure.isPresent() && row.error().isEmpty()
                            && (row.verdict() != Verdict.TRUSTED || r.trustState() == org.phoneemu.core.trustlist.TrustState.NONE)) {
                        // A download failed (lost packets, a server error) and the phone did not end trusted with
                        // a trust list: an error, saying which download, not a quiet "config refused" or an
                        // unverified "trusted".
                        row = row.failedBecause(failure.get().serverRefused() ? Verdict.SERVER_REFUSED : Verdict.ERROR, failure.get().text());
                    }
                } else {
                    row = PhoneResult.failed(d, describe(e), millis, boots);
                }
                boolean last;
                synchronized (this) {
                    if (closed) {
                        return; // the round was stopped and this phone already marked interrupted
                    }
                    rows.set(i, row);
                    inFlight--;
                    done++;
                    last = stopping ? inFlight == 0 : done == phones.size();
                    if (last) {
                        closed = true;
                    }
                }
                totalBoots.incrementAndGet();
                bootDone.accept(row);
                if (last) {
                    finish();
                } else {
                    pump();
                }
            });
        }

        /** No more starts; the round ends when the phones booting now have ended, or after {@code grace}. */
        void stop(java.time.Duration grace) {
            boolean end;
            synchronized (this) {
                if (closed || stopping) {
                    return;
                }
                stopping = true;
                for (int i = next; i < phones.size(); i++) {
                    rows.set(i, PhoneResult.unfinished(devices.get(i), Verdict.NOT_BOOTED,
                            "not started: the fleet stopped (" + stopReason + ") before this phone's " + name(), 0, rows.get(i).boots()));
                }
                end = inFlight == 0;
                if (end) {
                    closed = true;
                }
            }
            if (refill != null) {
                refill.cancel(false);
            }
            if (end) {
                finish();
                return;
            }
            ticker.schedule(() -> {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    for (int i = 0; i < next; i++) {
                        PhoneResult row = rows.get(i);
                        if (row.state() != PhoneResult.State.DONE) { // started (booting, or about to be marked so)
                            rows.set(i, PhoneResult.unfinished(devices.get(i), Verdict.INTERRUPTED, "boot cut short: the fleet stopped ("
                                    + stopReason + ") and the boot had not ended " + grace.toSeconds() + " s later", 0, row.boots() + 1));
                        }
                    }
                }
                finish();
            }, grace.toMillis(), TimeUnit.MILLISECONDS);
        }

        private String name() {
            return index == 0 ? "first boot" : "reboot " + index;
        }

        private String describe(Throwable e) {
            if (FailureText.beneathWrappers(e) instanceof TimeoutException) {
                return "boot did not finish within " + options.bootTimeout().toSeconds() + " s";
            }
            return FailureText.of(e);
        }

        void finish() {
            int unfinished = 0;
            int ended = phones.size();
            if (stopping) {
                synchronized (this) {
                    ended = done;
                    unfinished = phones.size() - done;
                }
            }
            result.complete(new RoundResult(index, ended, nanoTime.getAsLong() - startNanos, verdictCounts(), unfinished));
        }

    }

    // ---- live view -----------------------------------------------------------------------------------------

    /** A snapshot: counts by state and verdict, boots/s of the current round, p99 of whole boots. */
    public FleetStatus status() {
        Round r = current;
        // One pass over the rows: the state counts and the verdict counts agree with each other.
        int[] c = new int[3];
        Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        for (int i = 0; i < rows.length(); i++) {
            PhoneResult row = rows.get(i);
            c[row.state().ordinal()]++;
            verdicts.merge(row.verdict(), 1, Integer::sum);
        }
        int onTvs = 0;
        for (Phone p : phones) {
            onTvs += p.waitingOnTvs() ? 1 : 0;
        }
        double rate = 0;
        if (r != null) {
            long end = r.result.isDone() ? r.result.join().nanos() + r.startNanos : nanoTime.getAsLong();
            double secs = (end - r.startNanos) / 1e9;
            rate = secs > 0 ? c[2] / secs : 0;
        }
        return new FleetStatus(phones.size(), r == null ? -1 : r.index, c[0], c[1], onTvs, c[2], verdicts, rate,
                latencies.summary(Phase.BOOT).p99(), totalBoots.get());
    }

    private Map<Verdict, Integer> verdictCounts() {
        Map<Verdict, Integer> out = new EnumMap<>(Verdict.class);
        for (int i = 0; i < rows.length(); i++) {
            out.merge(rows.get(i).verdict(), 1, Integer::sum);
        }
        return out;
    }

    /** Every phone's row, in the order of the devices. */
    public List<PhoneResult> rows() {
        List<PhoneResult> out = new ArrayList<>(rows.length());
        for (int i = 0; i < rows.length(); i++) {
            out.add(rows.get(i));
        }
        return out;
    }

    /**
     * Hands every finished boot's row (from any thread) to {@code listener}, after the listeners given before: the hook
     * of live metrics and of the dashboard.
     */
    public synchronized void onBootDone(java.util.function.Consumer<PhoneResult> listener) {
        this.bootDone = this.bootDone.andThen(java.util.Objects.requireNonNull(listener));
    }

    /** The cap on requests in flight per server ({@link FleetOptions#maxInFlightPerServer()}) and its waits, if set. */
    Optional<ServerSlots> serverSlots() {
        return Optional.ofNullable(serverSlots);
    }

    public List<Phone> phones() {
        return phones;
    }

    public Latencies latencies() {
        return latencies;
    }

    /** Seconds spent creating the phones (flash, MICs). */
    public double setupSeconds() {
        return setupNanos / 1e9;
    }

    @Override
    public void close() {
        intervals.cancel(false);
        latencies.closeInterval();
        ticker.shutdownNow();
        if (ownWork != null) {
            ownWork.shutdown();
            try {
                ownWork.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
