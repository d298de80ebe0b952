package org.phoneemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.fleet.Device;
import org.phoneemu.fleet.DeviceList;
import org.phoneemu.fleet.FleetMemory;
import org.phoneemu.fleet.FleetOptions;
import org.phoneemu.fleet.FleetSession;
import org.phoneemu.fleet.FleetSetupException;
import org.phoneemu.fleet.FleetTarget;
import org.phoneemu.fleet.ReportFolder;
import org.phoneemu.fleet.Verdict;
import org.phoneemu.phone.capture.PacketCapture;
import org.phoneemu.web.WebOptions;
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
                "Exit 0 when every phone ended as --expect says, 1 when some did not (or, with --keep-registered, a renewal failed), 2 for bad input or no server answering, "
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

    @Option(names = "--ramp", paramLabel = "FILE",
            description = {"a load profile instead of --rate: CSV (header 'time,rate' or 'time,phones', then e.g. 30s,100) or",
                    "YAML (.yaml: a list of {at: 30s, rate: 100} or {at: 30s, phones: 1500}); each round follows it (docs/FLEET.md)"})
    Path ramp;

    @Option(names = "--max-in-flight-per-server", paramLabel = "N", defaultValue = "0",
            description = "at most N requests in flight to one server address (TFTP reads, HTTP(S) downloads, TVS, CAPF and SIP connections); the phones wait for a slot (default: 0, no cap)")
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

    @Option(names = "--cluster-b", paramLabel = "FILE",
            description = {"with --sim: a second simulated cluster started beside it (a migration's destination, its nodes on",
                    "loopback addresses of their own); every fleet phone is one of its devices too. --move-before points the",
                    "phones at it; --admin-before ROUND='B: command' runs a CUCM command on its publisher"})
    Path clusterB;

    @Option(names = "--move-before", paramLabel = "ROUND[=B|A]",
            description = {"with --cluster-b: before reboot ROUND (1..R) every phone gets cluster B's TFTP servers (or A's again),",
                    "as a new DHCP option 150 would; after that round's --admin-before commands"})
    List<String> moveBefore = new ArrayList<>();

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

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "0",
            description = {"first boot N other phones (MACs after the fleet's), left out of the report, so that the measured",
                    "first boot runs on warm code: what a long-running fleet pays per boot (bench fleet's warm row; default: 0)"})
    int warmUp;

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

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Request r = request();
        if (sharding.dryRun) {
            return dryRun(r);
        }
        transport.provisioning("7970"); // a bad --transport or port is the user's error before anything starts
        List<Device> warm = warmUpDevices(r.devices());
        List<Device> known = new ArrayList<>(r.devices());
        known.addAll(warm);
        FleetTarget.Starter against = target(known);
        PacketCapture capture = pcap.open();
        FleetSession session = session(r, warm, against, capture);
        try (StopSignals signals = StopSignals.install(session::stop)) {
            return run(session, r);
        } finally {
            sharding.stopMetrics();
            Captures.close(capture, session.shutdown(), spec.commandLine().getErr());
        }
    }

    /** Every option checked, before anything starts: the run's inputs. */
    private record Request(Verdict expected, Optional<WebOptions> web, Map<Integer, String> moveRounds, FleetOptions options,
                           FleetShardOptions.Plan plan, Optional<Duration> keepRegistered) {
        List<Device> devices() {
            return plan.devices();
        }
    }

    private Request request() throws IOException {
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
        if (clusterB != null && target.sim == null) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--cluster-b goes with --sim: a second simulated cluster beside the first");
        }
        Map<Integer, String> moveRounds = moveRounds();
        Optional<Duration> keep = registration.keep(target.sim != null);
        List<Device> devices = devices();
        FleetOptions options = options();
        FleetShardOptions.Plan plan = sharding.plan(spec, devices, expected);
        if (!sharding.dryRun) {
            FleetMemory.problem(plan.devices().size(), Runtime.getRuntime().maxMemory()).ifPresent(p -> {
                throw new UserError(PhoneEmu.BAD_INPUT, p);
            });
        }
        return new Request(expected, webOptions, moveRounds, options, plan, keep);
    }

    /** {@code --dry-run}: the cluster files read, the plan said, nothing started. */
    private int dryRun(Request r) {
        if (target.sim != null) {
            loadSpec(UserInput.clusterFile(target.sim));
            if (clusterB != null) {
                loadSpec(UserInput.clusterFile(clusterB));
            }
        } else {
            target.tftp.forEach(FleetShardOptions::checkHostPort);
        }
        say("dry run: nothing started");
        say("target: " + (target.sim != null ? "--sim " + target.sim + (clusterB != null ? " --cluster-b " + clusterB : "")
                : "--tftp " + String.join(" ", target.tftp)));
        r.plan().describe().forEach(this::say);
        say(String.format(Locale.ROOT, "ramp: %s, at most %d booting at once, %d round(s), boot timeout %d s, expect %s",
                r.options().rate().describe(), maxConcurrent, reboots + 1, bootTimeout, r.expected().word()));
        r.keepRegistered().ifPresent(k -> say("then every registered phone kept registered for " + registration.keepRegistered));
        say("report: " + (report == null ? "none" : report.toString()) + "; metrics: "
                + sharding.metrics.describe());
        return 0;
    }

    /** The session the options describe; nothing started. */
    private FleetSession session(Request r, List<Device> warm, FleetTarget.Starter against, PacketCapture capture) {
        FleetShardOptions.Plan plan = r.plan();
        return FleetSession.builder().devices(r.devices()).warmUp(warm).options(r.options()).reboots(reboots).expected(r.expected())
                .stopGrace(Duration.ofSeconds(stopGrace)).maxDuration(maxDuration.map(m -> Durations.parse(m, "--max-duration")))
                .jdkCrypto(jdkCrypto).capture(Optional.ofNullable(capture)).target(against)
                .keyPool(keyPool, micBits).registers(registration.on(target.sim != null)).provisioning(d -> transport.provisioning(d.model()))
                .keepRegistered(r.keepRegistered())
                .report(Optional.ofNullable(report), dir -> sharding.writeManifest(dir, plan))
                .afterSetUp(fleet -> {
                    if (!plan.shard().isWhole() || plan.startAt().isPresent()) {
                        plan.describe().forEach(this::say);
                    }
                    sharding.startMetrics(fleet, this::say);
                })
                .beforeRounds(v -> sharding.awaitStart(plan, this::say)).adminBefore(adminRounds).moveBefore(r.moveRounds())
                .dashboard(r.web().map(w -> new FleetWebDashboard(w, this::say)))
                .progress(progressEvery, System.console() != null).out(out).build();
    }

    /** Runs the session and renders how it ended: the stop line, or the verdict line; the exit code. */
    private int run(FleetSession session, Request r) throws Exception {
        FleetSession.Result result;
        try {
            result = session.run();
        } catch (FleetSetupException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
        if (result.stopped().isPresent()) {
            spec.commandLine().getErr().println("phone-emu: " + result.stopLine(Optional.ofNullable(report)));
            spec.commandLine().getErr().flush();
            return PhoneEmu.STOPPED; // no --metrics-linger: a stopped pod has to be gone within its grace period
        }
        boolean ok = result.report().allAsExpected();
        Verdict expected = r.expected();
        say(ok ? "Every phone ended " + expected.word() + "."
                : result.report().verdicts().getOrDefault(expected, 0) + " of " + result.phones() + " phones ended " + expected.word() + ".");
        result.renewals().ifPresent(k -> say(k.allKept() ? "Every kept phone stayed registered." : "Renewals failed: " + k.line() + "."));
        if (keepRunning) {
            say("Serving the dashboard; Ctrl-C stops.");
            out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
        }
        sharding.metrics.linger(this::say);
        return ok && result.renewals().map(org.phoneemu.fleet.Renewals::allKept).orElse(true) ? 0 : PhoneEmu.REFUSED;
    }

    /** {@code --warm-up N} phones: generated MACs after the fleet's highest, of its first phone's model. */
    private List<Device> warmUpDevices(List<Device> devices) {
        if (warmUp < 0 || warmUp > 1_000_000) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--warm-up must be between 0 and 1000000");
        }
        if (warmUp == 0) {
            return List.of();
        }
        long highest = devices.stream().mapToLong(d -> Long.parseLong(d.mac(), 16)).max().orElse(0);
        try {
            return DeviceList.generated(String.format(Locale.ROOT, "%012X", highest + 1), warmUp, devices.get(0).model());
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--warm-up: " + e.getMessage());
        }
    }

    /** The cluster the phones boot against: the built-in one of --sim, or the TFTP servers of --tftp. */
    private FleetTarget.Starter target(List<Device> devices) {
        if (target.sim != null) {
            Path file = UserInput.clusterFile(target.sim);
            Optional<SimTarget.Second> b = Optional.ofNullable(clusterB).map(f -> new SimTarget.Second(f,
                    loadSpec(UserInput.clusterFile(f)), work.resolve("cluster-b")));
            return SimTarget.starter(target.sim, loadSpec(file), devices, work.resolve("cluster"), keyPool, b);
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String s : target.tftp) {
            servers.add(BootCommand.address("--tftp", s, 69));
        }
        return FleetTarget.tftp(servers, "--tftp " + String.join(" ", target.tftp));
    }

    /** {@link #moveBefore} by round, checked: ROUND or ROUND=B moves every phone to B, ROUND=A back to A. */
    private Map<Integer, String> moveRounds() {
        if (!moveBefore.isEmpty() && clusterB == null) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--move-before needs --cluster-b (the cluster the phones move to)");
        }
        Map<Integer, String> out = new java.util.TreeMap<>();
        for (String v : moveBefore) {
            String[] parts = v.split("=", 2);
            String to = parts.length == 2 ? parts[1].strip().toUpperCase(Locale.ROOT) : SimTarget.B;
            int round;
            try {
                round = Integer.parseInt(parts[0].strip());
            } catch (NumberFormatException e) {
                round = -1;
            }
            if (round < 0 || !(to.equals("A") || to.equals(SimTarget.B))) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--move-before takes ROUND, ROUND=B or ROUND=A (e.g. 1), not '" + v + "'");
            }
            if (round < 1 || round > reboots) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--move-before " + round + ": rounds 1.." + reboots + " are reboots (see --reboots)");
            }
            if (out.put(round, to) != null) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--move-before " + round + ": one move per round");
            }
        }
        return out;
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
        org.phoneemu.fleet.RateSchedule schedule;
        if (ramp != null) {
            if (!rate.equals("0")) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--ramp and --rate are two ways to give the ramp: choose one");
            }
            try {
                schedule = org.phoneemu.fleet.RampFile.read(ramp);
            } catch (org.phoneemu.fleet.RampFile.RampFileException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--ramp: " + e.getMessage());
            }
        } else {
            schedule = UserInput.rateSchedule("--rate", rate);
        }
        try {
            return FleetOptions.defaults().withRate(schedule).withMaxConcurrent(maxConcurrent)
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

    /** A line on stdout; holds the console's lock, as the run's progress lines do. */
    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
