package org.phoneemu.cli;

import java.util.HexFormat;
import java.util.function.Supplier;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.web.BootStats;
import org.phoneemu.web.FleetView;
import org.phoneemu.web.WebConfigException;
import org.phoneemu.web.WebOptions;
import org.phoneemu.web.WebServer;
import picocli.CommandLine.Mixin;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.fleet.CryptoProviders;
import org.phoneemu.fleet.Device;
import org.phoneemu.fleet.DeviceList;
import org.phoneemu.fleet.Fleet;
import org.phoneemu.fleet.FleetMemory;
import org.phoneemu.fleet.FleetOptions;
import org.phoneemu.fleet.FleetRun;
import org.phoneemu.fleet.FleetReport;
import org.phoneemu.fleet.FleetStatus;
import org.phoneemu.fleet.MicPool;
import org.phoneemu.fleet.PeakMemory;
import org.phoneemu.fleet.ReportFolder;
import org.phoneemu.fleet.ProcessCpu;
import org.phoneemu.fleet.RoundResult;
import org.phoneemu.fleet.TftpProbe;
import org.phoneemu.fleet.Verdict;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.capture.PacketCapture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fleet", mixinStandardHelpOptions = true, sortOptions = false, subcommands = FleetMergeCommand.class,
        description = {"Boots many emulated phones at once against any cluster (a real CUCM, tftpd-hpa serving 'cucm files' "
                + "output) or the built-in simulated one, and counts who ends trusted. A live progress line, then a summary "
                + "table (outcomes, rounds, latency percentiles per phase); --report DIR writes phones.csv, summary.json, "
                + "latency.hlog and junit.xml.",
                "Exit 0 when every phone ended as --expect says, 1 when some did not, 2 for bad input or no server answering, "
                + "4 when stopped early (SIGTERM, SIGINT, --max-duration): the report is complete, unfinished phones marked."})
final class FleetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // Optional for picocli only so that 'fleet merge' can run without one; call() requires it.
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Target target;

    static final class Target {
        @Option(names = "--tftp", paramLabel = "HOST[:PORT]", required = true,
                description = "a TFTP server of the cluster (repeatable, in DHCP option-150 order; port default 69)")
        List<String> tftp;

        @Option(names = "--sim", paramLabel = "CLUSTER.yaml", required = true,
                description = "start this simulated cluster in the same process; every fleet phone becomes one of its devices")
        Path sim;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Phones phones = new Phones();

    static final class Phones {
        @Option(names = "--phones", paramLabel = "N", description = "N phones with MACs counted up from --mac-base (default 100)")
        Integer count;

        @Option(names = "--devices", paramLabel = "devices.csv",
                description = "phones from a file: a header 'mac,model[,lsc_pem]', then one phone a line; '#' starts a comment")
        Path file;
    }

    @Option(names = "--mac-base", paramLabel = "MAC", defaultValue = DeviceList.DEFAULT_MAC_BASE,
            description = "first MAC of generated phones (default: ${DEFAULT-VALUE})")
    String macBase;

    @Option(names = "--model", defaultValue = DeviceList.DEFAULT_MODEL, description = "model of generated phones (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--rate", paramLabel = "PHONES_PER_S[,R@T...]", defaultValue = "0",
            description = "ramp: phones started per second, or steps (50,100@30s,200@60s); 0 = as fast as --max-concurrent allows (default)")
    String rate;

    @Option(names = "--max-in-flight-per-server", paramLabel = "N", defaultValue = "0",
            description = "at most N TFTP reads and HTTP requests in flight to one server; the phones wait for a slot (default: 0, no cap)")
    int maxInFlightPerServer;

    @Option(names = "--max-concurrent", paramLabel = "K", defaultValue = "" + FleetOptions.DEFAULT_MAX_CONCURRENT,
            description = "at most K phones booting at once (default: ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--reboots", paramLabel = "R", defaultValue = "0", description = "boot every phone R+1 times (default: ${DEFAULT-VALUE})")
    int reboots;

    @Option(names = "--flash", paramLabel = "DIR|memory", defaultValue = ".phone-emu/fleet/phones",
            description = {"each phone's flash under DIR/SEP<MAC>, written crash-safe (default: ${DEFAULT-VALUE});",
                    "'memory' keeps the flash in memory only: faster and lighter for large fleets, but not crash-safe",
                    "and nothing is kept between runs"})
    String flash;

    @Option(names = "--admin-before", paramLabel = "ROUND=COMMAND",
            description = {"with --sim: run this CUCM CLI command on the publisher before reboot ROUND (1..R), e.g.",
                    "--reboots 2 --admin-before 2='set cert regen CallManager' (the last reboot then asks TVS);",
                    "several for one round run in the order given"})
    List<String> adminBefore = new ArrayList<>();

    /** {@link #adminBefore} by round, checked. */
    private Map<Integer, List<String>> adminRounds = Map.of();

    @Option(names = "--report", paramLabel = "DIR", description = "write phones.csv, summary.json, latency.hlog, junit.xml here")
    Path report;

    @Option(names = "--expect", paramLabel = "VERDICT", defaultValue = "trusted",
            description = "the verdict every phone should end with: trusted, locked, config-refused, error, server-refused (default: ${DEFAULT-VALUE})")
    String expect;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = ".phone-emu/fleet",
            description = "with --sim: the cluster's state directory is DIR/cluster (wiped at start) (default: ${DEFAULT-VALUE})")
    Path work;

    @Option(names = "--key-pool", paramLabel = "DIR", defaultValue = ".phone-emu/key-pool",
            description = "RSA keys of the phones' MICs, generated once and kept across runs (default: ${DEFAULT-VALUE})")
    Path keyPool;

    @Option(names = "--mic-bits", defaultValue = "1024", description = "key size of the phones' MICs (default: ${DEFAULT-VALUE})")
    int micBits;

    @Option(names = "--boot-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "a boot not finished by then is an error in the phone's row (default: ${DEFAULT-VALUE})")
    int bootTimeout;

    @Option(names = "--jdk-crypto", description = "use the JDK's crypto providers even where the Amazon Corretto Crypto Provider loads")
    boolean jdkCrypto;

    @Option(names = "--progress", paramLabel = "SECONDS", defaultValue = "5",
            description = "when stdout is not a terminal, a progress line every SECONDS (default: ${DEFAULT-VALUE}; 0: none)")
    int progressEvery;

    @Option(names = "--max-duration", paramLabel = "DURATION",
            description = {"stop the run this long after it started (e.g. 90s, 10m): as on SIGTERM, phones booting get",
                    "--stop-grace, every phone that did not finish is marked in the report, exit 4"})
    Optional<String> maxDuration = Optional.empty();

    @Option(names = "--stop-grace", paramLabel = "SECONDS", defaultValue = "5",
            description = "on SIGTERM, SIGINT or --max-duration: how long phones booting may still take (default: ${DEFAULT-VALUE})")
    int stopGrace;

    @Mixin
    WebMixin web;

    @Option(names = "--keep-running", description = "with --web: keep serving the dashboard after the last round, until Ctrl-C")
    boolean keepRunning;

    @picocli.CommandLine.Mixin
    Captures pcap = new Captures();

    @Mixin
    FleetShardOptions sharding = new FleetShardOptions();

    @Mixin
    TransportOptions transport = new TransportOptions();

    @Mixin
    FleetRegisterOption registration = new FleetRegisterOption();

    private PrintWriter out;

    /**
     * Each phone's download path (docs/PROTOCOLS.md §4): {@code --transport}, on the simulated cluster's own HTTP ports
     * with {@code --sim}.
     */
    private java.util.function.Function<Device, org.phoneemu.phone.Provisioning> provisioning(Cluster sim, List<InetSocketAddress> servers) {
        transport.provisioning("7970"); // a bad --transport or port is the user's error before any phone is built
        return d -> {
            org.phoneemu.phone.Provisioning wanted = transport.provisioning(d.model());
            return sim == null || servers.isEmpty() ? wanted : org.phoneemu.lab.LabProvisioning.of(sim, servers.get(0), wanted);
        };
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (target == null) {
            throw new UserError(PhoneEmu.BAD_INPUT, "fleet needs a cluster: --tftp HOST[:PORT] or --sim CLUSTER.yaml (see 'phone-emu fleet --help')");
        }
        Optional<WebOptions> webOptions = web.options(false); // an unsafe bind is refused before anything starts
        if (keepRunning && webOptions.isEmpty()) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--keep-running needs --web PORT");
        }
        Verdict expected = parseExpect();
        if (!adminBefore.isEmpty() && target.sim == null) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--admin-before needs --sim (it runs on the built-in cluster)");
        }
        adminRounds = UserInput.adminRounds("--admin-before", adminBefore, reboots);
        List<Device> devices = devices();
        FleetOptions options = options();
        FleetShardOptions.Plan plan = sharding.plan(spec, devices, expected);
        devices = plan.devices();
        if (!sharding.dryRun) {
            FleetMemory.problem(devices.size(), Runtime.getRuntime().maxMemory()).ifPresent(p -> {
                throw new UserError(PhoneEmu.BAD_INPUT, p);
            });
        }
        if (sharding.dryRun) {
            if (target.sim != null) {
                loadSpec(UserInput.clusterFile(target.sim));
            } else {
                target.tftp.forEach(FleetShardOptions::checkHostPort);
            }
            say("dry run: nothing started");
            say("target: " + (target.sim != null ? "--sim " + target.sim : "--tftp " + String.join(" ", target.tftp)));
            plan.describe().forEach(this::say);
            say(String.format(Locale.ROOT, "ramp: %s, at most %d booting at once, %d round(s), boot timeout %d s, expect %s",
                    options.rate().describe(), maxConcurrent, reboots + 1, bootTimeout, expected.word()));
            say("report: " + (report == null ? "none" : report.toString()) + "; metrics: "
                    + sharding.metrics.describe());
            return 0;
        }
        try (Stops stops = new Stops()) {
            return run(expected, devices, options, plan, webOptions, stops);
        }
    }

    /** The stop of this run: a signal or the deadline, before or after the rounds have started. */
    private static final class Stops implements AutoCloseable {
        private final Thread main = Thread.currentThread();
        private final StopSignals signals;
        private volatile String requested;
        private volatile FleetRun run;

        Stops() {
            signals = StopSignals.install(this::stop);
        }

        private void stop(String why) {
            requested = why;
            FleetRun r = run;
            if (r != null) {
                r.stop(why);
            } else {
                main.interrupt(); // e.g. waiting for --start-at
            }
        }

        void runIs(FleetRun r) {
            run = r;
            String why = requested;
            if (why != null) {
                r.stop(why);
            }
            Thread.interrupted(); // an interrupt meant for the set-up is spent
        }

        Optional<String> requested() {
            return Optional.ofNullable(requested);
        }

        @Override
        public void close() {
            signals.close();
        }
    }

    private Integer run(Verdict expected, List<Device> devices, FleetOptions options, FleetShardOptions.Plan plan,
                        Optional<WebOptions> webOptions, Stops stops) throws Exception {
        // Installed before any TLS is set up; said once the cluster answers, so a dead cluster costs one line.
        String crypto = jdkCrypto ? CryptoProviders.jdkOnly() : CryptoProviders.install();

        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        PacketCapture capture = pcap.open();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        // TFTP (the phones' reads and the simulated cluster's servers) on Linux's native epoll where it loads: less CPU
        // per datagram than NIO's selector and channels (docs/BENCHMARKS.md); NIO elsewhere, or with -Dphoneemu.tftp.nio=true
        // (to compare the two).
        EventLoopGroup tftpGroup = Epoll.isAvailable() && !Boolean.getBoolean("phoneemu.tftp.nio")
                ? new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory()) : group;
        Cluster cluster = null;
        WebServer dashboard = null;
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group, tftpGroup, Optional.ofNullable(capture))) {
            long t0 = System.nanoTime();
            double cpu0 = ProcessCpu.seconds();
            List<InetSocketAddress> servers;
            Map<String, KeyMaterial> lscs = new LinkedHashMap<>();
            String against;
            if (target.sim != null) {
                ClusterSpec base = loadSpec(UserInput.clusterFile(target.sim));
                ClusterSpec spec = SimCluster.withDevices(base, devices);
                say("Starting the simulated cluster " + target.sim + " with " + spec.devices().size() + " devices...");
                cluster = SimCluster.start(spec, work.resolve("cluster"), Clock.systemUTC(), group, tftpGroup,
                        org.phoneemu.core.store.ManufacturingCaStore.open(keyPool).root()); // the CA of the phones' MicPool
                servers = SimCluster.tftpServers(cluster);
                for (var d : base.devices()) {
                    if (d.lsc()) {
                        cluster.deviceLsc(d.mac()).ifPresent(k -> lscs.put(d.mac(), k));
                    }
                }
                against = "--sim " + target.sim;
            } else {
                servers = new ArrayList<>();
                for (String s : target.tftp) {
                    servers.add(BootCommand.address("--tftp", s, 69));
                }
                Optional<InetSocketAddress> answering;
                try {
                    answering = TftpProbe.firstAnswering(group, servers, Duration.ofMillis(500), 5).get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    answering = Optional.empty(); // the probe has a deadline of its own; this only bounds a stuck event loop
                }
                if (answering.isEmpty()) {
                    throw new UserError(PhoneEmu.BAD_INPUT, "no TFTP server answered: " + servers.stream().map(Addresses::show).toList());
                }
                against = "--tftp " + String.join(" ", target.tftp);
            }
            say("crypto: " + crypto);
            for (Device d : devices) {
                if (d.lscPem().isPresent()) {
                    lscs.put(d.mac(), readLsc(d));
                }
            }
            double clusterSeconds = (System.nanoTime() - t0) / 1e9;
            MicPool mics = MicPool.open(keyPool, micBits, MicPool.DEFAULT_SIZE, Clock.systemUTC());
            registration.prepare(network, cluster);
            try (Fleet fleet = Fleet.builder().devices(devices).tftpServers(servers).network(network).options(options)
                    .mics(mics).lsc(d -> Optional.ofNullable(lscs.get(d.mac()))).provisioning(provisioning(cluster, servers))
                    .registers(registration.on(cluster != null)).workThreads(threads).build()) {
                double setup = (System.nanoTime() - t0) / 1e9;
                double setupCpu = ProcessCpu.seconds() - cpu0;
                say(String.format(Locale.ROOT, "fleet: %d phones against %s, flash %s; set-up %.1f s, %.1f CPU s (cluster %.1f s, %d MIC key(s) generated)",
                        devices.size(), against, options.flashRoot().map(Path::toString).orElse("in memory"), setup, setupCpu, clusterSeconds,
                        mics.generated()));
                if (!plan.shard().isWhole() || plan.startAt().isPresent()) {
                    plan.describe().forEach(this::say);
                }
                sharding.startMetrics(fleet, this::say);
                FleetRun run = new FleetRun(fleet, reboots, Duration.ofSeconds(stopGrace), maxDuration.map(m -> Durations.parse(m, "--max-duration")));
                stops.runIs(run);
                if (stops.requested().isEmpty()) {
                    try {
                        sharding.awaitStart(plan, this::say);
                    } catch (InterruptedException e) {
                        if (stops.requested().isEmpty()) {
                            throw e;
                        }
                    }
                }
                dashboard = webOptions.isPresent() ? startWeb(webOptions.get(), fleet, cluster, against, group) : null;
                FleetRun.Outcome outcome;
                Cluster admin = cluster;
                try (Progress progress = new Progress(fleet)) {
                    outcome = run.beforeRound(r -> {
                        for (String command : adminRounds.getOrDefault(r, List.of())) {
                            say("admin:" + command);
                            new AdminShell(admin, admin.publisher().id()).execute(command).lines()
                                    .filter(l -> !l.isBlank()).forEach(l -> say("  " + l));
                        }
                    }).onRoundEnd(progress::endOfRound).run();
                }
                List<RoundResult> rounds = outcome.rounds();
                Map<String, String> facts = new LinkedHashMap<>();
                facts.put("against", against);
                facts.put("crypto", crypto);
                facts.put("setupSeconds", String.format(Locale.ROOT, "%.3f", setup));
                facts.put("setupCpuSeconds", String.format(Locale.ROOT, "%.3f", setupCpu));
                facts.put("roundCpuSeconds", String.join(" ", outcome.cpuSecondsPerRound().stream().map(c -> String.format(Locale.ROOT, "%.3f", c)).toList()));
                facts.put("loadAverage", loadAverage());
                facts.put("flash", options.flashRoot().map(Path::toString).orElse("memory"));
                facts.put("filesByTransport", TransportOptions.byTransport(fleet.rows()));
                outcome.stopped().ifPresent(why -> facts.put("stopped", why));
                facts.put("rate", options.rate().describe());
                fleet.serverSlots().ifPresent(s -> facts.put("serverSlots", s.perServer() + " in flight per server, " + s.waited() + " requests waited"));
                PeakMemory.peakRssKilobytes().ifPresent(kb -> facts.put("peakRssMb", String.format(Locale.ROOT, "%.0f", kb / 1024.0)));
                FleetReport rep = new FleetReport(fleet.rows(), rounds, fleet.latencies(), expected, facts);
                say("");
                rep.table().forEach(this::say);
                say("Files received over: " + TransportOptions.byTransport(fleet.rows()));
                fleet.serverSlots().ifPresent(s -> say("Server slots: at most " + s.perServer() + " requests in flight per server; " + s.waited() + " waited for a slot"));
                PeakMemory.peakRssKilobytes().ifPresent(kb -> say(String.format(Locale.ROOT, "%nPeak RSS: %.0f MB", kb / 1024.0)));
                if (report != null) {
                    ReportFolder.write(report, dir -> {
                        rep.write(dir);
                        sharding.writeManifest(dir, plan);
                    });
                    say("Report: " + report.resolve(FleetReport.PHONES_CSV) + ", " + FleetReport.SUMMARY_JSON + ", "
                            + FleetReport.LATENCY_HLOG + ", " + FleetReport.JUNIT_XML);
                }
                if (outcome.stopped().isPresent()) {
                    Map<Verdict, Integer> v = rep.verdicts();
                    int unfinished = v.getOrDefault(Verdict.NOT_BOOTED, 0) + v.getOrDefault(Verdict.INTERRUPTED, 0);
                    spec.commandLine().getErr().println(String.format(Locale.ROOT,
                            "phone-emu: fleet stopped (%s): %d of %d phones did not finish (%d interrupted, %d not booted)%s",
                            outcome.stopped().get(), unfinished, devices.size(), v.getOrDefault(Verdict.INTERRUPTED, 0),
                            v.getOrDefault(Verdict.NOT_BOOTED, 0), report == null ? "" : "; the report in " + report + " has every phone"));
                    spec.commandLine().getErr().flush();
                    return PhoneEmu.STOPPED; // no --metrics-linger: a stopped pod has to be gone within its grace period
                }
                boolean ok = rep.allAsExpected();
                say(ok ? "Every phone ended " + expected.word() + "."
                        : rep.verdicts().getOrDefault(expected, 0) + " of " + devices.size() + " phones ended " + expected.word() + ".");
                if (keepRunning) {
                    say("Serving the dashboard; Ctrl-C stops.");
                    out.flush();
                    new java.util.concurrent.CountDownLatch(1).await();
                }
                sharding.metrics.linger(this::say);
                return ok ? 0 : PhoneEmu.REFUSED;
            }
        } finally {
            sharding.stopMetrics();
            if (dashboard != null) {
                dashboard.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (tftpGroup != group) {
                var tftpDown = tftpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                if (capture != null) {
                    tftpDown.awaitUninterruptibly(5_000); // its datagrams go into the capture too
                }
            }
            Captures.close(capture, group.shutdownGracefully(0, 1, TimeUnit.SECONDS), spec.commandLine().getErr());
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

    private Verdict parseExpect() {
        try {
            Verdict v = Verdict.parse(expect);
            if (v == Verdict.PENDING || v.unfinished()) {
                throw new IllegalArgumentException("--expect cannot be " + v.word() + " (it is what a stopped run marks)");
            }
            return v;
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--expect: " + e.getMessage());
        }
    }

    private List<Device> devices() throws IOException {
        if (phones.file != null) {
            try {
                return DeviceList.read(phones.file);
            } catch (DeviceList.DeviceListException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
            }
        }
        int n = phones.count == null ? 100 : phones.count;
        if (n < 1 || n > 1_000_000) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--phones must be between 1 and 1000000");
        }
        if (!model.matches("[A-Za-z0-9-]+")) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--model '" + model + "' is not a phone model (e.g. 7970, 8841)");
        }
        try {
            return DeviceList.generated(macBase, n, model);
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }

    private FleetOptions options() {
        if (reboots < 0) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--reboots must be 0 or more");
        }
        if (stopGrace < 0) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--stop-grace must be 0 or more seconds");
        }
        maxDuration.ifPresent(m -> {
            if (Durations.parse(m, "--max-duration").isZero()) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--max-duration must be more than 0");
            }
        });
        if (report != null) {
            ReportFolder.problem(report).ifPresent(p -> {
                throw new UserError(PhoneEmu.BAD_INPUT, "--report: " + p);
            });
        }
        if (bootTimeout < 1) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--boot-timeout must be at least 1 second");
        }
        if (micBits < 1024 || micBits > 4096) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--mic-bits must be between 1024 and 4096");
        }
        try {
            return FleetOptions.defaults().withRate(UserInput.rateSchedule("--rate", rate)).withMaxConcurrent(maxConcurrent)
                    .withMaxInFlightPerServer(UserInput.capPerServer("--max-in-flight-per-server", maxInFlightPerServer)).withBootTimeout(Duration.ofSeconds(bootTimeout))
                    .withFlashRoot(flash.equalsIgnoreCase("memory") ? Optional.empty() : Optional.of(Path.of(flash)));
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, (e.getMessage().contains("rate") ? "--rate: " : "--max-concurrent: ") + e.getMessage());
        }
    }

    private static ClusterSpec loadSpec(Path file) {
        try {
            return ClusterSpec.load(file);
        } catch (ClusterSpecException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }

    private static KeyMaterial readLsc(Device d) {
        try {
            KeyMaterial k = org.phoneemu.core.io.PemFile.readWithKey(d.lscPem().orElseThrow());
            return k;
        } catch (PemFiles.PemException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, d.name() + ": LSC " + e.getMessage()); // the message names the file
        }
    }

    private synchronized void say(String line) {
        out.println(line);
        out.flush();
    }

    /** The live progress: one rewritten line on a terminal, plain lines every few seconds otherwise. */
    private final class Progress implements AutoCloseable {
        private final Fleet fleet;
        private final boolean terminal = System.console() != null;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-progress");
            t.setDaemon(true);
            return t;
        });

        Progress(Fleet fleet) {
            this.fleet = fleet;
            long every = terminal ? 1 : progressEvery;
            if (every > 0) {
                timer.scheduleAtFixedRate(this::print, every, every, TimeUnit.SECONDS);
            }
        }

        private void print() {
            String line = line(fleet.status());
            synchronized (FleetCommand.this) {
                if (terminal) {
                    out.print("\r" + line + "   ");
                } else {
                    out.println(line);
                }
                out.flush();
            }
        }

        void endOfRound(RoundResult r, double cpuSeconds) {
            synchronized (FleetCommand.this) {
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

        private String line(FleetStatus s) {
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

    /** The dashboard over the fleet's phones; boots are timed for it through the fleet engine. */
    private WebServer startWeb(WebOptions options, Fleet fleet, Cluster sim, String against, EventLoopGroup group) {
        BootStats stats = new BootStats();
        fleet.startBootsWith(p -> stats.time(p.mac(), p::boot));
        fleet.onBootDone(row -> stats.serverRefused(row.device().mac(), row.verdict() == Verdict.SERVER_REFUSED));
        Supplier<Optional<String>> served = sim == null ? Optional::empty : () -> servedItlMd5(sim);
        try {
            WebServer server = WebServer.builder().options(options)
                    .fleet(FleetView.of("fleet: " + fleet.phones().size() + " phones against " + against, fleet::phones, served, stats))
                    .group(group).start();
            say(WebMixin.announce("Dashboard", server.url(), options));
            return server;
        } catch (WebConfigException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }

    private static Optional<String> servedItlMd5(Cluster cluster) {
        return cluster.nodes().stream().filter(n -> n.tftp()).findFirst()
                .flatMap(n -> cluster.file(n.id(), "ITLFile.tlv"))
                .map(b -> HexFormat.of().formatHex(Certificates.hash("MD5", b)));
    }
}
