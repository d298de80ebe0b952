package org.phoneemu.cli;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.device.Mac;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.fleet.MicPool;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.capture.PacketCapture;
import org.phoneemu.phone.Phone;
import org.phoneemu.lab.LabAdminConsole;
import org.phoneemu.web.WebConfigException;
import org.phoneemu.web.WebOptions;
import org.phoneemu.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"The built-in lab: a simulated cluster (publisher + subscriber) and a few phones, walked through the",
                "seed story: phones trusted (S1); CallManager and TVS regenerated on the publisher, so phones whose group",
                "has no other TVS are locked with \"Trust List Update Failed\" while phones with a second TVS in their group",
                "stay trusted through it (S3); utils itl reset localkey, so phones are trusted again (S4).",
                "Exit 0 when the story ends as expected, 1 when it does not, 2 for bad input (a cluster it cannot run on)."})
final class LabCommand implements Callable<Integer> {
    /** Console lines worth showing in the transcript (the full log is in each phone's flash directory). */
    private static final List<String> KEY_LINES = List.of("Requesting ITL", "File sign verify", "installed:", "EROR", "asking TVS",
            "processTvsSrvrResponse", "verifyFile: verify SUCCESS", "tvs_cert_vfy");

    /** Above this many phones the transcript shows counts, not every phone (unless -v). */
    private static final int DETAIL_LIMIT = 10;

    /** What the fleet engine holds on a small machine with each phone's flash on disk. */
    static final int MAX_PHONES = 100_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--phones", defaultValue = "3", description = "number of phones (default: ${DEFAULT-VALUE})")
    int phones;

    @Option(names = "--cluster", paramLabel = "FILE", defaultValue = Home.LAB_CLUSTER,
            description = "cluster file (default: ${DEFAULT-VALUE}, in phone-emu's own folder); the publisher must run TFTP")
    Path clusterFile;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = ".phone-emu/lab",
            description = "cluster state and phone flash (default: ${DEFAULT-VALUE}; wiped at start, so it must be new, empty or a lab's)")
    Path work;

    @picocli.CommandLine.Mixin
    Captures pcap = new Captures();

    @Option(names = "--key-pool", paramLabel = "DIR", defaultValue = ".phone-emu/key-pool",
            description = "RSA keys of the phones' MICs, generated once and kept across runs (default: ${DEFAULT-VALUE})")
    Path keyPool;

    @Option(names = "--keep-running", description = "after the story, keep serving the cluster and the phones until Ctrl-C")
    boolean keepRunning;

    @Option(names = {"-v", "--verbose"}, description = "print every console line of every phone")
    boolean verbose;

    @Option(names = "--story", paramLabel = "seed|migration", defaultValue = "seed",
            description = "seed (default): the seed documents' story; migration: phones moved from --cluster to --cluster-b")
    String story;

    @Option(names = "--cluster-b", paramLabel = "FILE", defaultValue = "config/clusters/lab-b.yaml",
            description = "the cluster the migration story moves the phones to (default: ${DEFAULT-VALUE})")
    Path clusterB;

    @Mixin
    WebMixin web;

    @picocli.CommandLine.Mixin
    MetricsOptions metrics = new MetricsOptions();

    private StoryTranscript transcript;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        transcript = new StoryTranscript(out, verbose, KEY_LINES);
        java.util.Optional<WebOptions> webOptions = web.options(true); // an unsafe bind is refused before anything starts
        ClusterSpec cluster = checkedInput();
        Lab.deleteWorkDirectory(work);
        Folders.writable(work, "--work");
        if (story.equals("migration")) {
            return new MigrationStory(out, verbose).walk(cluster, clusterFile, UserInput.clusterFile(clusterB), work, phones);
        }
        return tellSeedStory(cluster, webOptions) ? 0 : PhoneEmu.REFUSED;
    }

    /** The options and the cluster file checked, in the order a user meets their errors: the cluster the story runs on. */
    private ClusterSpec checkedInput() {
        if (!story.equals("seed") && !story.equals("migration")) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--story takes seed or migration, not " + story);
        }
        if (phones < 1 || phones > MAX_PHONES) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--phones must be between 1 and " + MAX_PHONES);
        }
        clusterFile = UserInput.clusterFile(clusterFile);
        ClusterSpec cluster;
        try {
            cluster = ClusterSpec.load(clusterFile);
        } catch (ClusterSpecException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
        metrics.check();
        pcap.check();
        UserInput.clusterAddresses(cluster, clusterFile);
        storyCanBeTold(cluster);
        checkWorkFolder(work);
        return cluster;
    }

    /** Starts the cluster and the phones, walks the seed story and prints how it ended; true when it ended as expected. */
    private boolean tellSeedStory(ClusterSpec fromFile, java.util.Optional<WebOptions> webOptions) throws Exception {
        VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        ClusterSpec spec = withDevices(fromFile, phones);
        List<String> chosen = spec.devices().stream().map(d -> d.mac()).toList().subList(0, phones);

        PacketCapture capture = pcap.open();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (NettyPhoneNetwork network = capture == null ? new NettyPhoneNetwork(group) : new NettyPhoneNetwork(group, capture)) {
            say("phone-emu lab: cluster " + clusterFile + ", " + phones + " phone(s), work directory " + work);
            say("Generating the cluster's keys and certificates...");
            try (Lab lab = startLab(spec, chosen, clock, network, group);
                 WebServer server = webOptions.isPresent() ? startWeb(webOptions.get(), lab, clock, group) : null) {
                listNodes(lab.cluster());
                if (server != null) {
                    say(WebMixin.announce("Dashboard", server.url(), webOptions.get()));
                }
                metrics.start(lab.fleet(), this::say);
                boolean ok = seedStory(lab, spec, chosen, clock);
                ending(lab, ok, chosen, clock);
                return ok;
            }
        } finally {
            metrics.stop();
            Captures.close(capture, group.shutdownGracefully(0, 1, TimeUnit.SECONDS), this.spec.commandLine().getErr());
        }
    }

    /** The cluster built from the file, fresh, and the phones on it; a cluster that cannot start is the user's error. */
    private Lab startLab(ClusterSpec spec, List<String> chosen, VirtualClock clock, NettyPhoneNetwork network,
                         MultiThreadIoEventLoopGroup group) throws java.io.IOException {
        MicPool mics = MicPool.open(keyPool, 1024, MicPool.DEFAULT_SIZE, clock);
        Cluster cluster = Cluster.builder().spec(spec).stateDirectory(work.resolve("cluster")).clock(clock)
                .freshState(true).eventLoopGroup(group).manufacturingCa(mics.ca()).build();
        try {
            return Lab.start(cluster, chosen, work.resolve("phones"), clock, network, 1024, mics);
        } catch (RuntimeException e) {
            cluster.close();
            throw UserInput.clusterStartFailure(e);
        }
    }

    private void listNodes(Cluster cluster) {
        for (Node n : cluster.nodes()) {
            say("  " + n.hostname() + (n.publisher() ? " (publisher)" : " (subscriber)") + ": TFTP " + Addresses.service(n.tftp(), n.tftpAddress())
                    + ", TVS " + Addresses.service(n.tvs(), n.tvsAddress()) + ", HTTPS " + Addresses.show(n.httpsAddress()));
        }
    }

    /** The summary and the verdict; with --keep-running, serving on until Ctrl-C. */
    private void ending(Lab lab, boolean ok, List<String> chosen, VirtualClock clock) throws Exception {
        summary(lab);
        say(ok ? "The story ended as expected." : "The story did NOT end as expected.");
        if (!keepRunning) {
            metrics.linger(this::say);
            return;
        }
        say("Serving until Ctrl-C. Phones' flash: " + work.resolve("phones")
                + " (try: phone-emu phone trust-list --state " + work.resolve("phones").resolve(new Mac(chosen.get(0)).deviceName()) + ")");
        lab.followResets(e -> say("[CUCM reset phones: " + e.reason() + "]"));
        try (AutoCloseable renewing = keepRegistered(lab, clock)) {
            new CountDownLatch(1).await();
        }
    }

    /**
     * {@code --keep-running}: the lab's virtual clock follows the real time from now on (a second each second), and each
     * phone is kept registered on it (docs/SIP.md §3), each renewal said in one line while the lab is small enough
     * to show every phone.
     */
    private AutoCloseable keepRegistered(Lab lab, VirtualClock clock) {
        org.phoneemu.phone.VirtualTimer timer = new org.phoneemu.phone.VirtualTimer(clock);
        List<org.phoneemu.phone.RegistrationKeeper> keepers = new ArrayList<>();
        boolean show = lab.phones().size() <= DETAIL_LIMIT || verbose;
        for (Phone p : lab.phones()) {
            keepers.add(org.phoneemu.phone.RegistrationKeeper.start(p, clock, timer,
                    step -> { if (show) { say("[" + p.name() + " renewed: " + step.text() + "]"); } }));
        }
        java.util.concurrent.ScheduledExecutorService pacer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-clock");
            t.setDaemon(true);
            return t;
        });
        pacer.scheduleAtFixedRate(() -> timer.advance(Duration.ofSeconds(1)), 1, 1, TimeUnit.SECONDS);
        return () -> {
            pacer.shutdownNow();
            keepers.forEach(org.phoneemu.phone.RegistrationKeeper::close);
        };
    }

    /** The seed story: S1 first boots, S3 CallManager and TVS regenerated, S4 the ITL reset; true when every step ended as the seeds say. */
    private boolean seedStory(Lab lab, ClusterSpec spec, List<String> chosen, VirtualClock clock) throws Exception {
        boolean ok = true;
        Map<String, Boolean> secondTvs = new HashMap<>();
        for (String mac : chosen) {
            secondTvs.put(new Mac(mac.toUpperCase(java.util.Locale.ROOT)).hex(), hasSecondTvs(spec, mac));
        }
        long vouched = secondTvs.values().stream().filter(b -> b).count();

        chapter("S1: phones boot and trust the cluster on first use");
        ok &= expect(boot(lab), BootReport::trusted, "every phone trusted");
        ok &= expectRegistered(lab, true);

        chapter(vouched == 0 ? "S3: CallManager, then TVS regenerated on the phones' only node, no phone reboot in between"
                : "S3: CallManager, then TVS regenerated on the publisher, no phone reboot in between; "
                + (vouched == secondTvs.size() ? "the phones' group" : vouched + " phone(s)' group")
                + " has another TVS, which still vouches for the new key");
        admin(lab, "set cert regen CallManager");
        admin(lab, "set cert regen TVS");
        say("(virtual clock +301 s: the 5-minute hold timer passes; the phones did not reboot meanwhile)");
        clock.advance(Duration.ofSeconds(301));
        admin(lab, "set cert regen TVS");
        admin(lab, "utils service restart Cisco Tftp");
        admin(lab, "utils service restart Cisco Trust Verification Service");
        say("(the phones are reset)");
        List<BootReport> s3 = boot(lab);
        if (vouched < secondTvs.size()) {
            ok &= expect(s3.stream().filter(r -> !secondTvs.get(r.mac())).toList(), BootReport::locked,
                    (vouched == 0 ? "every phone" : "every phone without a second TVS") + " locked with \"Trust List Update Failed\"");
            ok &= expect(s3.stream().filter(r -> !secondTvs.get(r.mac())).toList(), r -> !r.registered(),
                    "and not registered: no verified configuration");
        }
        if (vouched > 0) {
            ok &= expect(s3.stream().filter(r -> secondTvs.get(r.mac())).toList(), BootReport::trusted,
                    (vouched == secondTvs.size() ? "every phone" : "every phone with a second TVS")
                            + " trusted: another node's TVS vouched for the new CallManager key");
        }

        chapter("S4: utils itl reset localkey on the publisher, then the TFTP restart");
        admin(lab, "utils itl reset localkey");
        say("(the phones are reset)");
        ok &= expect(boot(lab), r -> r.trusted() && r.itlSigner().orElse("").contains("ITLRECOVERY"),
                "every phone trusted, ITL signed by ITLRECOVERY");
        admin(lab, "utils service restart Cisco Tftp");
        say("(the phones are reset)");
        ok &= expect(boot(lab), BootReport::trusted, "every phone trusted, ITL signed by the new CallManager key");
        ok &= expectRegistered(lab, true);

        return ok;
    }

    private static WebServer startWeb(WebOptions options, Lab lab, VirtualClock clock, MultiThreadIoEventLoopGroup group) {
        try {
            return WebServer.builder().options(options).fleet(lab).admin(new LabAdminConsole(lab, java.util.Optional.of(clock)))
                    .group(group).start();
        } catch (WebConfigException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }

    /** Refuses, with the reason, a cluster the story cannot be told on. */
    static void storyCanBeTold(ClusterSpec spec) {
        if (!spec.publisher().tftp()) {
            throw new UserError(PhoneEmu.BAD_INPUT, "the lab's story regenerates the publisher's certificates and needs the phones "
                    + "to download from it, but the publisher " + spec.publisher().hostname() + " does not run TFTP in this cluster file");
        }
        if (spec.devices().isEmpty()) {
            throw new UserError(PhoneEmu.BAD_INPUT, "the cluster file has no device: the lab needs at least one to model its phones on");
        }
    }

    /** Whether the phone's CallManager group has a TVS other than the publisher's (every node runs TVS). */
    static boolean hasSecondTvs(ClusterSpec spec, String mac) {
        String publisher = spec.publisher().hostname();
        return spec.device(mac).flatMap(d -> spec.group(d.group()))
                .map(g -> g.members().stream().anyMatch(m -> !m.equalsIgnoreCase(publisher)))
                .orElse(false);
    }

    /**
     * What a lab's stories leave in their work folder: the cluster's state and the phones' flash, and for the migration
     * story cluster B's state and the SFTP folder of its certificate export.
     */
    private static final java.util.Set<String> LAB_ENTRIES = java.util.Set.of("cluster", "phones", "cluster-B", "sftp");

    /** The lab wipes its work folder: only a new or empty one, or one a previous lab left ({@link #LAB_ENTRIES}). */
    static void checkWorkFolder(Path work) {
        if (!java.nio.file.Files.exists(work)) {
            return;
        }
        if (!java.nio.file.Files.isDirectory(work)) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--work " + work + ": is a file, not a folder");
        }
        try (var entries = java.nio.file.Files.list(work)) {
            List<String> other = entries.map(p -> p.getFileName().toString())
                    .filter(n -> !LAB_ENTRIES.contains(n)).sorted().toList();
            if (!other.isEmpty()) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--work " + work + ": holds files that are not a lab's (" + other.get(0)
                        + (other.size() > 1 ? ", ..." : "") + "); the lab wipes its work folder, so choose a new or empty one");
            }
        } catch (java.io.IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--work " + (e instanceof java.nio.file.FileSystemException f
                    ? org.phoneemu.core.io.FileProblem.describe(f) : work + ": " + e.getMessage()));
        }
    }

    /** The cluster with at least {@code count} devices: extra phones are configured like its first device. */
    static ClusterSpec withDevices(ClusterSpec spec, int count) {
        if (spec.devices().size() >= count) {
            return spec;
        }
        if (spec.devices().isEmpty()) {
            throw new UserError(PhoneEmu.BAD_INPUT, "the cluster file has no device to model extra phones on");
        }
        List<DeviceSpec> devices = new ArrayList<>(spec.devices());
        DeviceSpec model = spec.devices().get(0);
        for (int i = devices.size(); i < count; i++) {
            String mac = String.format("00AB%08X", i);
            devices.add(new DeviceSpec(mac, model.model(), model.group(), false, java.util.Optional.empty(), false,
                    model.securityMode(), model.vendorConfig(), model.loadInformation()));
        }
        return spec.withDevices(devices);
    }

    private List<BootReport> boot(Lab lab) throws Exception {
        List<BootReport> reports = lab.bootAll().get(30, TimeUnit.MINUTES);
        Map<String, Long> counts = new java.util.TreeMap<>();
        reports.forEach(r -> counts.merge(r.verdict(), 1L, Long::sum));
        say("  phones: " + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(java.util.stream.Collectors.joining(", ")));
        if (lab.phones().size() > DETAIL_LIMIT && !verbose) {
            return reports;
        }
        for (Phone p : lab.phones()) {
            BootReport r = p.lastBoot().orElseThrow();
            say("  " + new Mac(r.mac()).deviceName() + ": " + r.verdict() + ", " + r.trustState().description()
                    + r.itlMd5().map(m -> ", ITL MD5 " + m).orElse("")
                    + r.lastStatus().map(s -> ", \"" + s + "\"").orElse(""));
            transcript.newConsoleLines(p);
        }
        return reports;
    }

    private boolean expect(List<BootReport> reports, Predicate<BootReport> check, String what) {
        return transcript.expect(reports, check, what);
    }

    /** Every phone's registration of its last boot, one line each (how, and to which CallManager). */
    private boolean expectRegistered(Lab lab, boolean registered) {
        List<BootReport> reports = lab.phones().stream().map(p -> p.lastBoot().orElseThrow()).toList();
        if (lab.phones().size() <= DETAIL_LIMIT || verbose) {
            reports.forEach(r -> say("  " + new Mac(r.mac()).deviceName() + ": " + r.registration().map(s -> s.text()).orElse("registration off")));
        }
        return expect(reports, r -> r.registered() == registered, registered ? "every phone registered" : "no phone registered");
    }

    private void admin(Lab lab, String command) {
        say("admin:" + command);
        lab.admin(null, command).lines().forEach(l -> say("  " + l));
    }

    private void chapter(String title) {
        transcript.chapter(title);
    }

    private void summary(Lab lab) {
        say("");
        String fmt = "%-16s %-12s %-42s %-34s %s";
        say(String.format(fmt, "PHONE", "TRUST", "ITL SIGNER", "ITL MD5", "LAST STATUS MESSAGE"));
        if (lab.phones().size() > 2 * DETAIL_LIMIT && !verbose) {
            // A fleet: one line per distinct outcome, with its count.
            Map<String, Long> rows = new java.util.TreeMap<>();
            for (Phone p : lab.phones()) {
                BootReport r = p.lastBoot().orElseThrow();
                rows.merge(String.format(fmt, "", r.trustState().name(), StoryTranscript.signerColumn(r),
                        r.itlMd5().orElse("-"), r.lastStatus().orElse("-")), 1L, Long::sum);
            }
            rows.forEach((row, n) -> say(String.format("%-16s", n + " phones") + row.substring(16)));
            return;
        }
        for (Phone p : lab.phones()) {
            BootReport r = p.lastBoot().orElseThrow();
            say(String.format(fmt, p.name(), r.trustState().name(), StoryTranscript.signerColumn(r), r.itlMd5().orElse("-"), r.lastStatus().orElse("-")));
        }
    }

    private void say(String line) {
        transcript.say(line);
    }
}
