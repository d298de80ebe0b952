package org.phoneemu.fleet;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Provisioning;
import org.phoneemu.phone.capture.PacketCapture;

/**
 * One {@code fleet} run from set-up to report: the event loops and the phones' network, the {@link FleetTarget} the
 * phones boot against, the fleet, its rounds with their progress lines, a stop from any thread (a signal, the
 * deadline), the summary table and the report folder. The caller parses options, hands over the target and, if
 * wanted, a {@link Dashboard}, prints the lines this writes to its console, and decides the exit from the
 * {@link Result}. Resources stay up after {@link #run()} (a dashboard may keep serving) until {@link #shutdown()}.
 */
public final class FleetSession {
    /** A view of the fleet started once the rounds are about to start (the web dashboard); closed at shutdown. */
    public interface Dashboard {
        AutoCloseable start(Fleet fleet, FleetTarget target, EventLoopGroup group) throws Exception;
    }

    /** Something the caller does at a point of the run (the shard's start gate, the metrics endpoint). */
    public interface Step<T> {
        void run(T value) throws Exception;
    }

    /**
     * What a run ended with; the report, when asked for, is written.
     *
     * @param keepStopped why keeping the registrations ended before its time (a signal, the deadline), if it did
     * @param renewals    what keeping the registrations came to, when asked for and reached
     */
    public record Result(FleetReport report, FleetRun.Outcome outcome, int phones, Optional<String> keepStopped, Optional<Renewals> renewals) {
        public Result(FleetReport report, FleetRun.Outcome outcome, int phones) {
            this(report, outcome, phones, Optional.empty(), Optional.empty());
        }

        /** Why the run stopped early: during the rounds, or while the registrations were kept. */
        public Optional<String> stopped() {
            return outcome.stopped().or(() -> keepStopped);
        }

        /**
         * The one line a stopped run ends with on stderr (without the program's prefix); {@code report} is where the
         * report went, if anywhere.
         */
        public String stopLine(Optional<Path> report) {
            String where = report.map(r -> "; the report in " + r + " has every phone").orElse("");
            if (outcome.stopped().isEmpty() && renewals.isPresent()) {
                Renewals r = renewals.get();
                return String.format(Locale.ROOT, "fleet stopped (%s) while keeping the registrations, after %s: %d renewals, %d failed%s",
                        keepStopped.orElse("stopped"), FleetRun.Durations.show(Duration.ofSeconds(r.kept().toSeconds())), r.attempted(),
                        r.failed(), where);
            }
            Map<Verdict, Integer> v = report().verdicts();
            return String.format(Locale.ROOT, "fleet stopped (%s): %d of %d phones did not finish (%d interrupted, %d not booted)%s",
                    stopped().orElse("stopped"), unfinished(v), phones, v.getOrDefault(Verdict.INTERRUPTED, 0),
                    v.getOrDefault(Verdict.NOT_BOOTED, 0), where);
        }
    }

    private final Settings settings;
    private final PrintWriter out;
    private volatile Thread runner;
    private volatile String requested;
    private volatile FleetRun run;
    private EventLoopGroup group;
    private EventLoopGroup tftpGroup;
    private NettyPhoneNetwork network;
    private FleetTarget target;
    private Fleet fleet;
    private AutoCloseable dashboard;
    /** The rounds' start on the monotonic clock: {@code --max-duration} counts from it. */
    private long startNanos;
    private SipConnectionBudget budget = new SipConnectionBudget(0, 0, 0);
    /** Released by a stop while the registrations are kept. */
    private final java.util.concurrent.CountDownLatch keepStop = new java.util.concurrent.CountDownLatch(1);
    private volatile KeptRegistrations keeping;
    private java.util.concurrent.ScheduledExecutorService keepTimer;

    private FleetSession(Settings settings) {
        this.settings = settings;
        this.out = Objects.requireNonNull(settings.out, "out");
    }

    public static Settings builder() {
        return new Settings();
    }

    /** What a session is made of; {@link #build()} starts nothing. */
    public static final class Settings {
        private List<Device> devices;
        private List<Device> warmUp = List.of();
        private FleetOptions options;
        private int reboots;
        private Verdict expected = Verdict.TRUSTED;
        private Duration stopGrace = Duration.ofSeconds(5);
        private Optional<Duration> maxDuration = Optional.empty();
        private boolean jdkCrypto;
        private Optional<PacketCapture> capture = Optional.empty();
        private FleetTarget.Starter target;
        private Path keyPool;
        private int micBits = 1024;
        private boolean registers;
        private Function<Device, Provisioning> provisioning = d -> Provisioning.byModel(d.model());
        private Optional<Path> report = Optional.empty();
        private ReportFolder.Writer reportExtras = dir -> { };
        private Step<Fleet> afterSetUp = f -> { };
        private Step<Void> beforeRounds = v -> { };
        private Map<Integer, List<String>> adminBefore = Map.of();
        private Map<Integer, String> moveBefore = Map.of();
        private Optional<Dashboard> dashboard = Optional.empty();
        private Optional<Duration> keepRegistered = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private int progressEvery = 5;
        private boolean terminal = System.console() != null;
        private PrintWriter out;

        public Settings devices(List<Device> d) {
            devices = List.copyOf(d);
            return this;
        }

        /**
         * Phones booted once, as a fleet of their own, before the measured rounds: the JIT has compiled the boot's
         * code by then, so the first boot of the measured (new) phones costs what a long-running fleet pays. Their
         * rows are not in the report; the target must know them as it knows the measured phones.
         */
        public Settings warmUp(List<Device> d) {
            warmUp = List.copyOf(d);
            return this;
        }

        public Settings options(FleetOptions o) {
            options = o;
            return this;
        }

        public Settings reboots(int r) {
            reboots = r;
            return this;
        }

        public Settings expected(Verdict v) {
            expected = v;
            return this;
        }

        public Settings stopGrace(Duration d) {
            stopGrace = d;
            return this;
        }

        public Settings maxDuration(Optional<Duration> d) {
            maxDuration = d;
            return this;
        }

        /** The JDK's crypto providers even where ACCP loads. */
        public Settings jdkCrypto(boolean on) {
            jdkCrypto = on;
            return this;
        }

        public Settings capture(Optional<PacketCapture> c) {
            capture = c;
            return this;
        }

        public Settings target(FleetTarget.Starter t) {
            target = t;
            return this;
        }

        public Settings keyPool(Path dir, int bits) {
            keyPool = dir;
            micBits = bits;
            return this;
        }

        public Settings registers(boolean on) {
            registers = on;
            return this;
        }

        /** Each phone's provisioning as the options ask; the target puts it on its own ports. */
        public Settings provisioning(Function<Device, Provisioning> p) {
            provisioning = p;
            return this;
        }

        /** The report folder; {@code extras} writes more files into it (the shard's manifest). */
        public Settings report(Optional<Path> dir, ReportFolder.Writer extras) {
            report = dir;
            reportExtras = extras;
            return this;
        }

        /** Run once the fleet is built and its set-up line printed. */
        public Settings afterSetUp(Step<Fleet> step) {
            afterSetUp = step;
            return this;
        }

        /** Run before the first round unless the run was stopped already (a start gate); may be interrupted by a stop. */
        public Settings beforeRounds(Step<Void> step) {
            beforeRounds = step;
            return this;
        }

        /** Admin commands on the target before reboot rounds (1..R), in order. */
        public Settings adminBefore(Map<Integer, List<String>> commands) {
            adminBefore = Map.copyOf(commands);
            return this;
        }

        /**
         * Before reboot round R (1..R) every phone is pointed at the TFTP servers of the target's cluster named here, as a
         * new DHCP option 150 would (a migration; {@link FleetTarget#tftpServersOf}); after that round's admin commands.
         */
        public Settings moveBefore(Map<Integer, String> clusters) {
            moveBefore = Map.copyOf(clusters);
            return this;
        }

        /**
         * After the last round, keep every registered phone registered this long (a soak): each renews on its own schedule
         * on the connection it kept from its boot ({@link KeptRegistrations}); empty: the run ends with the rounds.
         */
        public Settings keepRegistered(Optional<Duration> d) {
            keepRegistered = d;
            return this;
        }

        /** The phones' clock (their registration times, the renewals'); the system's by default. */
        public Settings clock(Clock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        public Settings dashboard(Optional<Dashboard> d) {
            dashboard = d;
            return this;
        }

        /** Seconds between progress lines when the console is not a terminal (0: none). */
        public Settings progress(int everySeconds, boolean onTerminal) {
            progressEvery = everySeconds;
            terminal = onTerminal;
            return this;
        }

        public Settings out(PrintWriter w) {
            out = w;
            return this;
        }

        public FleetSession build() {
            Objects.requireNonNull(devices, "devices");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(keyPool, "keyPool");
            return new FleetSession(this);
        }
    }

    /**
     * Stops the run from any thread: before the rounds it interrupts the set-up's wait (e.g. for the start gate),
     * during them no more phones start and those booting get the grace period. The first reason is the one reported.
     */
    public void stop(String why) {
        if (requested == null) {
            requested = why;
        }
        FleetRun r = run;
        keepStop.countDown();
        if (r != null) {
            r.stop(why);
        } else {
            Thread t = runner;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    /** Sets up, runs every round (or until stopped), keeps the registrations if asked, prints the summary and writes the report. */
    public Result run() throws Exception {
        runner = Thread.currentThread();
        SetUp up = setUp();
        if (!settings.warmUp.isEmpty()) {
            warmUp(up);
        }
        settings.afterSetUp.run(fleet);
        FleetRun.Outcome outcome = rounds();
        Optional<KeptPhase> kept = settings.keepRegistered.isPresent() && outcome.stopped().isEmpty() && requested == null
                ? Optional.of(keepRegistered(settings.keepRegistered.get())) : Optional.empty();
        FleetReport rep = report(up, outcome, kept);
        return new Result(rep, outcome, settings.devices.size(), kept.flatMap(KeptPhase::stopped), kept.map(KeptPhase::renewals));
    }

    /** What the set-up found, for the set-up line and the report's facts. */
    private record SetUp(String crypto, String against, List<InetSocketAddress> servers, Map<String, KeyMaterial> lscs, MicPool mics,
                         int threads, double seconds, double cpuSeconds) {
    }

    /** The event loops, the phones' network, the target, the fleet; says the set-up line. */
    private SetUp setUp() throws Exception {
        Settings s = settings;
        // Installed before any TLS is set up; said once the target answers, so a dead cluster costs one line.
        String crypto = s.jdkCrypto ? CryptoProviders.jdkOnly() : CryptoProviders.install();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        // TFTP (the phones' reads and a simulated cluster's servers) on Linux's native epoll where it loads: less CPU
        // per datagram than NIO's selector and channels (docs/BENCHMARKS.md); NIO elsewhere, or with -Dphoneemu.tftp.nio=true
        // (to compare the two).
        tftpGroup = Epoll.isAvailable() && !Boolean.getBoolean("phoneemu.tftp.nio")
                ? new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory()) : group;
        network = new NettyPhoneNetwork(group, tftpGroup, s.capture);
        long t0 = System.nanoTime();
        double cpu0 = ProcessCpu.seconds();
        target = s.target.start(group, tftpGroup, this::say);
        List<InetSocketAddress> servers = target.tftpServers();
        say("crypto: " + crypto);
        Map<String, KeyMaterial> lscs = new LinkedHashMap<>(target.lscs());
        for (Device d : s.devices) {
            if (d.lscPem().isPresent()) {
                lscs.put(d.mac(), readLsc(d));
            }
        }
        double clusterSeconds = (System.nanoTime() - t0) / 1e9;
        MicPool mics = MicPool.open(s.keyPool, s.micBits, MicPool.DEFAULT_SIZE, Clock.systemUTC());
        target.prepare(network);
        if (s.keepRegistered.isPresent()) {
            budget = SipConnectionBudget.of(s.devices.size(), target.inProcess());
            network.keepSipConnectionsAtMost(budget.allowed());
        }
        fleet = phones(s.devices, servers, lscs, mics, threads).keepsRegistrations(s.keepRegistered.isPresent()).clock(s.clock).build();
        if (s.keepRegistered.isPresent()) {
            keepTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fleet-keep-registered");
                t.setDaemon(true);
                return t;
            });
            // Each phone renews from its boot on: a storm can last longer than a registration.
            keeping = KeptRegistrations.of(fleet.phones(), s.clock, org.phoneemu.phone.PhoneTimer.real(keepTimer)).follow(fleet);
        }
        double setup = (System.nanoTime() - t0) / 1e9;
        double setupCpu = ProcessCpu.seconds() - cpu0;
        say(String.format(Locale.ROOT, "fleet: %d phones against %s, flash %s; set-up %.1f s, %.1f CPU s (cluster %.1f s, %d MIC key(s) generated)",
                s.devices.size(), target.against(), s.options.flashRoot().map(Path::toString).orElse("in memory"), setup, setupCpu, clusterSeconds,
                mics.generated()));
        return new SetUp(crypto, target.against(), servers, lscs, mics, threads, setup, setupCpu);
    }

    /** A fleet of {@code devices} on this session's network and target, as the settings ask. */
    private Fleet.Builder phones(List<Device> devices, List<InetSocketAddress> servers, Map<String, KeyMaterial> lscs, MicPool mics, int threads) {
        Settings s = settings;
        return Fleet.builder().devices(devices).tftpServers(servers).network(network).options(s.options)
                .mics(mics).lsc(d -> Optional.ofNullable(lscs.get(d.mac())))
                .provisioning(d -> target.provisioning(s.provisioning.apply(d)))
                .registers(s.registers).workThreads(threads);
    }

    /** The rounds, after the start gate, with the dashboard up and the progress lines; a stop ends them early. */
    private FleetRun.Outcome rounds() throws Exception {
        Settings s = settings;
        FleetRun fr = new FleetRun(fleet, s.reboots, s.stopGrace, s.maxDuration);
        startNanos = System.nanoTime();
        run = fr;
        String why = requested;
        if (why != null) {
            fr.stop(why);
        }
        Thread.interrupted(); // an interrupt meant for the set-up is spent
        if (requested == null) {
            try {
                s.beforeRounds.run(null);
            } catch (InterruptedException e) {
                if (requested == null) {
                    throw e;
                }
            }
        }
        if (s.dashboard.isPresent()) {
            dashboard = s.dashboard.get().start(fleet, target, group);
        }
        try (FleetProgress progress = new FleetProgress(fleet, out, s.terminal, s.progressEvery)) {
            return fr.beforeRound(r -> {
                for (String command : s.adminBefore.getOrDefault(r, List.of())) {
                    say("admin:" + command);
                    target.admin(command).stream().filter(l -> !l.isBlank()).forEach(l -> say("  " + l));
                }
                String to = s.moveBefore.get(r);
                if (to != null) {
                    moveEveryPhone(to);
                }
            }).onRoundEnd(progress::endOfRound).run();
        }
    }

    /** What keeping the registrations came to, and why it ended early if it did. */
    private record KeptPhase(Renewals renewals, Optional<String> stopped) {
    }

    /**
     * Keeps every registered phone registered for {@code span} (cut short by a stop, or by {@code --max-duration} counted
     * from the rounds' start): each renews on its own schedule; a progress line every few seconds says the counts.
     */
    private KeptPhase keepRegistered(Duration span) throws InterruptedException {
        Settings s = settings;
        Duration left = s.maxDuration.map(m -> m.minusNanos(System.nanoTime() - startNanos)).filter(m -> m.compareTo(span) < 0).orElse(span);
        KeptRegistrations kept = keeping;
        kept.soakStarts();
        say("keep-registered: keeping " + kept.phones() + " registered phones registered for " + FleetRun.Durations.show(span)
                + " (each renews on its own schedule; SIGINT or SIGTERM ends it)" + budget.shortfall().map(w -> "; " + w).orElse(""));
        long end = System.nanoTime() + Math.max(0, left.toNanos());
        long every = TimeUnit.SECONDS.toNanos(Math.max(1, s.progressEvery));
        while (requested == null && System.nanoTime() < end) {
            keepStop.await(Math.min(every, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s.progressEvery > 0 && requested == null) {
                Renewals r = kept.renewals();
                say(String.format(Locale.ROOT, "[keep-registered] %s of %s: renewals %d, succeeded %d, failed %d, failovers %d; registered %d/%d; %d SIP connections kept",
                        FleetRun.Durations.show(Duration.ofSeconds(r.kept().toSeconds())), FleetRun.Durations.show(span), r.attempted(), r.succeeded(),
                        r.failed(), r.failovers(), r.registered(), r.phones(), network.keptSipConnections()));
            }
        }
        kept.close();
        Optional<String> stopped = Optional.ofNullable(requested)
                .or(() -> left.compareTo(span) < 0 ? s.maxDuration.map(m -> "--max-duration " + FleetRun.Durations.show(m) + " reached") : Optional.empty());
        return new KeptPhase(kept.renewals(), stopped);
    }

    /** Prints the summary and writes the report folder, if asked for. */
    private FleetReport report(SetUp up, FleetRun.Outcome outcome, Optional<KeptPhase> kept) throws IOException {
        Settings s = settings;
        String byTransport = FileTransports.count(fleet.rows());
        Optional<String> stopped = outcome.stopped().or(() -> kept.flatMap(KeptPhase::stopped));
        FleetReport rep = new FleetReport(fleet.rows(), outcome.rounds(), fleet.latencies(), s.expected, facts(up, outcome, stopped, byTransport))
                .withRenewals(kept.map(KeptPhase::renewals));
        say("");
        rep.table().forEach(this::say);
        say("Files received over: " + byTransport);
        fleet.serverSlots().ifPresent(sl -> say("Server slots: at most " + sl.perServer() + " requests in flight per server; " + sl.waited() + " waited for a slot"));
        PeakMemory.peakRssKilobytes().ifPresent(kb -> say(String.format(Locale.ROOT, "%nPeak RSS: %.0f MB", kb / 1024.0)));
        if (s.report.isPresent()) {
            Path dir = s.report.get();
            ReportFolder.write(dir, d -> {
                rep.write(d);
                s.reportExtras.write(d);
            });
            say("Report: " + dir.resolve(FleetReport.PHONES_CSV) + ", " + FleetReport.SUMMARY_JSON + ", "
                    + FleetReport.LATENCY_HLOG + ", " + FleetReport.JUNIT_XML);
        }
        return rep;
    }

    /** The summary's facts: what the run was against and on, and what it cost. */
    private Map<String, String> facts(SetUp up, FleetRun.Outcome outcome, Optional<String> stopped, String byTransport) {
        Settings s = settings;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("against", up.against());
        facts.put("crypto", up.crypto());
        facts.put("setupSeconds", String.format(Locale.ROOT, "%.3f", up.seconds()));
        facts.put("setupCpuSeconds", String.format(Locale.ROOT, "%.3f", up.cpuSeconds()));
        facts.put("roundCpuSeconds", String.join(" ", outcome.cpuSecondsPerRound().stream().map(c -> String.format(Locale.ROOT, "%.3f", c)).toList()));
        facts.put("loadAverage", loadAverage());
        facts.put("flash", s.options.flashRoot().map(Path::toString).orElse("memory"));
        facts.put("filesByTransport", byTransport);
        stopped.ifPresent(w -> facts.put("stopped", w));
        facts.put("rate", s.options.rate().describe());
        if (!s.warmUp.isEmpty()) {
            facts.put("warmUpPhones", Integer.toString(s.warmUp.size()));
        }
        fleet.serverSlots().ifPresent(sl -> facts.put("serverSlots", sl.perServer() + " in flight per server, " + sl.waited() + " requests waited"));
        PeakMemory.peakRssKilobytes().ifPresent(kb -> facts.put("peakRssMb", String.format(Locale.ROOT, "%.0f", kb / 1024.0)));
        return facts;
    }

    /** Points every phone at the TFTP servers of the target's cluster {@code to}; the next boot uses them. */
    private void moveEveryPhone(String to) {
        List<InetSocketAddress> servers = target.tftpServersOf(to);
        say("move: every phone to cluster " + to + " (TFTP " + String.join(" ", servers.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList()) + ")");
        fleet.phones().stream().map(p -> p.useTftpServers(servers)).toList().forEach(java.util.concurrent.CompletableFuture::join);
    }

    /** Boots the warm-up phones once on the same network and target, says what it cost, and lets them go. */
    private void warmUp(SetUp up) throws Exception {
        try (Fleet warm = phones(settings.warmUp, up.servers(), up.lscs(), up.mics(), up.threads()).build()) {
            double cpu0 = ProcessCpu.seconds();
            RoundResult r;
            try {
                r = warm.bootRound().get();
            } catch (InterruptedException e) {
                if (requested == null) {
                    throw e;
                }
                return; // stopped during the warm-up: the measured rounds stop at once
            }
            double cpu = ProcessCpu.seconds() - cpu0;
            say(String.format(Locale.ROOT, "warm-up: %d other phones booted in %.2f s (%.1f CPU s = %.0f boots per CPU second), %d trusted; not in the report",
                    r.boots(), r.seconds(), cpu, cpu > 0 ? r.boots() / cpu : 0, r.verdicts().getOrDefault(Verdict.TRUSTED, 0)));
        }
    }

    /**
     * Closes the fleet, the network, the dashboard and the target, and shuts the event loops down; returns the main
     * loops' shutdown (a packet capture is complete once it is done). Safe after a failed or partial {@link #run()}.
     */
    public Future<?> shutdown() {
        if (keeping != null) {
            keeping.close();
        }
        if (keepTimer != null) {
            keepTimer.shutdownNow();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (network != null) {
            network.close();
        }
        try {
            if (dashboard != null) {
                dashboard.close();
            }
        } catch (Exception e) {
            // the dashboard's sockets go with the event loops below
        } finally {
            if (target != null) {
                target.close();
            }
        }
        if (group == null) {
            return io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
        if (tftpGroup != group) {
            var tftpDown = tftpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (settings.capture.isPresent()) {
                tftpDown.awaitUninterruptibly(5_000); // its datagrams go into the capture too
            }
        }
        return group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A line on the console, between progress lines. */
    public void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** The machine's load when the run ended (the fleet's figures depend on what else runs). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Handy for callers printing the stop line: the phones that did not finish, by verdict. */
    public static int unfinished(Map<Verdict, Integer> verdicts) {
        return verdicts.getOrDefault(Verdict.NOT_BOOTED, 0) + verdicts.getOrDefault(Verdict.INTERRUPTED, 0);
    }

    private static KeyMaterial readLsc(Device d) throws FleetSetupException {
        try {
            return org.phoneemu.core.io.PemFile.readWithKey(d.lscPem().orElseThrow());
        } catch (org.phoneemu.core.pki.PemFiles.PemException e) {
            throw new FleetSetupException(d.name() + ": LSC " + e.getMessage()); // the message names the file
        }
    }
}
