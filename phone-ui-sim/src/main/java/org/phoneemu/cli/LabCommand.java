package org.phoneemu.cli;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.fleet.MicPool;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"The built-in lab: a simulated cluster (publisher + subscriber) and a few phones, walked through the",
                "seed story: phones trusted (S1); CallManager and TVS regenerated on a single-node group, so phones are",
                "locked with \"Trust List Update Failed\" (S3); utils itl reset localkey, so phones are trusted again (S4).",
                "Exit 0 when the story ends as expected."})
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

    @Option(names = "--cluster", paramLabel = "FILE", defaultValue = "config/clusters/lab.yaml",
            description = "cluster file (default: ${DEFAULT-VALUE}); its first group is the phones' CallManager group")
    Path clusterFile;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = ".phone-emu/lab",
            description = "cluster state and phone flash (default: ${DEFAULT-VALUE}; wiped at start)")
    Path work;

    @Option(names = "--key-pool", paramLabel = "DIR", defaultValue = ".phone-emu/key-pool",
            description = "RSA keys of the phones' MICs, generated once and kept across runs (default: ${DEFAULT-VALUE})")
    Path keyPool;

    @Option(names = "--keep-running", description = "after the story, keep serving the cluster and the phones until Ctrl-C")
    boolean keepRunning;

    @Option(names = {"-v", "--verbose"}, description = "print every console line of every phone")
    boolean verbose;

    @picocli.CommandLine.Mixin
    MetricsOptions metrics = new MetricsOptions();

    private PrintWriter out;
    private final Map<String, Integer> shown = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (phones < 1 || phones > MAX_PHONES) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--phones must be between 1 and " + MAX_PHONES);
        }
        ClusterSpec spec;
        try {
            spec = ClusterSpec.load(clusterFile);
        } catch (ClusterSpecException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
        metrics.check();
        Lab.deleteWorkDirectory(work);
        VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        spec = withDevices(spec, phones);
        List<String> chosen = spec.devices().stream().map(d -> d.mac()).toList().subList(0, phones);

        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        boolean ok = true;
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            say("phone-emu lab: cluster " + clusterFile + ", " + phones + " phone(s), work directory " + work);
            say("Generating the cluster's keys and certificates...");
            Cluster cluster = Cluster.builder().spec(spec).stateDirectory(work.resolve("cluster")).clock(clock)
                    .freshState(true).eventLoopGroup(group).build();
            MicPool mics = MicPool.open(keyPool, 1024, MicPool.DEFAULT_SIZE, clock);
            try (Lab lab = Lab.start(cluster, chosen, work.resolve("phones"), clock, network, 1024, mics)) {
                for (Node n : cluster.nodes()) {
                    say("  " + n.hostname() + (n.publisher() ? " (publisher)" : " (subscriber)") + ": TFTP " + Addresses.show(n.tftpAddress())
                            + ", TVS " + Addresses.show(n.tvsAddress()) + ", HTTPS " + Addresses.show(n.httpsAddress()));
                }
                metrics.start(lab.fleet(), this::say);

                chapter("S1: phones boot and trust the cluster on first use");
                ok &= expect(boot(lab), BootReport::trusted, "every phone trusted");

                chapter("S3: CallManager, then TVS regenerated on the phones' only node, no phone reboot in between");
                admin(lab, "set cert regen CallManager");
                admin(lab, "set cert regen TVS");
                say("(virtual clock +301 s: the 5-minute hold timer passes; the phones did not reboot meanwhile)");
                clock.advance(Duration.ofSeconds(301));
                admin(lab, "set cert regen TVS");
                admin(lab, "utils service restart Cisco Tftp");
                admin(lab, "utils service restart Cisco Trust Verification Service");
                say("(the phones are reset)");
                ok &= expect(boot(lab), BootReport::locked, "every phone locked with \"Trust List Update Failed\"");

                chapter("S4: utils itl reset localkey on the publisher, then the TFTP restart");
                admin(lab, "utils itl reset localkey");
                say("(the phones are reset)");
                ok &= expect(boot(lab), r -> r.trusted() && r.itlSigner().orElse("").contains("ITLRECOVERY"),
                        "every phone trusted, ITL signed by ITLRECOVERY");
                admin(lab, "utils service restart Cisco Tftp");
                say("(the phones are reset)");
                ok &= expect(boot(lab), BootReport::trusted, "every phone trusted, ITL signed by the new CallManager key");

                summary(lab);
                say(ok ? "The story ended as expected." : "The story did NOT end as expected.");
                if (!keepRunning) {
                    metrics.linger(this::say);
                }
                if (keepRunning) {
                    say("Serving until Ctrl-C. Phones' flash: " + work.resolve("phones")
                            + " (try: phone-emu phone trust-list --state " + work.resolve("phones").resolve("SEP" + chosen.get(0)) + ")");
                    lab.followResets(e -> say("[CUCM reset phones: " + e.reason() + "]"));
                    new CountDownLatch(1).await();
                }
            }
        } finally {
            metrics.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        return ok ? 0 : PhoneEmu.REFUSED;
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
        return new ClusterSpec(spec.name(), spec.domain(), spec.securityPassword(), spec.nameStyle(), spec.digest(),
                spec.serialBytes(), spec.subject(), spec.keySizes(), spec.itlTftpRole(), spec.mixedMode(), spec.ctlSigner(),
                spec.rollback(), spec.tvsTtl(), spec.timeZone(), spec.capfName(), spec.holdTimer(), spec.nodes(),
                spec.groups(), devices, spec.directory());
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
            say("  SEP" + r.mac() + ": " + r.verdict() + ", " + r.trustState().description()
                    + r.itlMd5().map(m -> ", ITL MD5 " + m).orElse("")
                    + r.lastStatus().map(s -> ", \"" + s + "\"").orElse(""));
            List<ConsoleLine> lines = p.consoleLog().lines();
            int from = shown.getOrDefault(p.mac(), 0);
            for (ConsoleLine l : lines) {
                if (l.sequence() > from && (verbose || KEY_LINES.stream().anyMatch(l.text()::contains))) {
                    say("      " + l.format(ZoneId.systemDefault()));
                }
            }
            if (!lines.isEmpty()) {
                shown.put(p.mac(), (int) lines.get(lines.size() - 1).sequence());
            }
        }
        return reports;
    }

    private boolean expect(List<BootReport> reports, Predicate<BootReport> check, String what) {
        boolean ok = reports.stream().allMatch(check);
        say((ok ? "  ✔ " : "  ✘ NOT ") + what);
        return ok;
    }

    private void admin(Lab lab, String command) {
        say("admin:" + command);
        lab.admin(null, command).lines().forEach(l -> say("  " + l));
    }

    private void chapter(String title) {
        say("");
        say("== " + title);
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
                String signer = r.itlSigner().orElse("-");
                int semi = signer.indexOf(';');
                rows.merge(String.format(fmt, "", r.trustState().name(), semi > 0 ? signer.substring(0, semi) : signer,
                        r.itlMd5().orElse("-"), r.lastStatus().orElse("-")), 1L, Long::sum);
            }
            rows.forEach((row, n) -> say(String.format("%-16s", n + " phones") + row.substring(16)));
            return;
        }
        for (Phone p : lab.phones()) {
            BootReport r = p.lastBoot().orElseThrow();
            String signer = r.itlSigner().orElse("-");
            int semi = signer.indexOf(';');
            signer = semi > 0 ? signer.substring(0, semi) : signer;
            say(String.format(fmt, p.name(), r.trustState().name(), signer, r.itlMd5().orElse("-"), r.lastStatus().orElse("-")));
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
