package org.phoneemu.tac.predict;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.trust.MenuResult;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.ConfigStep;
import org.phoneemu.phone.TrustListStep;
import org.phoneemu.phone.Button;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PhoneBuilder;
import org.phoneemu.phone.PressResult;
import org.phoneemu.tac.audit.FlashFolders;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.Device;

/**
 * Predicts what a planned change does to the phones, before it is run. The change is applied with the simulated
 * cluster's own admin operations to a <em>copy</em> of the cluster's state; after each step, real {@link Phone}s
 * (phone-core's security daemon, trust engine and config policy: the one implementation of the phone's rules) boot
 * against what the copy serves then, over an {@link OfflineNetwork} that answers TVS questions from what each node's
 * TVS knows. Nothing is sent anywhere; the original state and flash folders are only read. The phones' side of a
 * change is steps too: a press of Directories or Services runs the phone's own HTTPS check against the node's tomcat
 * certificate, and a Trust List menu step runs the phone's own menu code (settingsAccess) on its flash.
 *
 * <p>Phones hold either what the cluster serves now (each device of the cluster file boots once first) or the
 * lists of a fleet's flash folders. A step where the phones really reboot ({@link RebootPolicy}) carries its result
 * on; at any other step the prediction says what a phone would do if it rebooted then, on a copy of its flash.
 */
public final class Predictor {
    /** How long one simulated boot may take before the prediction gives up (a guard, never reached in practice). */
    private static final long BOOT_TIMEOUT_SECONDS = 60;
    /** Orders are searched only for this many steps or fewer (5! = 120 runs). */
    public static final int MAX_STEPS_TO_REORDER = 5;

    /**
     * @param stateDirectory the cluster's saved state (read, never written)
     * @param start          the instant the change starts (certificate validity, the hold timer)
     * @param flashRoot      a fleet's or lab's work directory with SEP&lt;MAC&gt; flash folders; empty: every phone
     *                       holds what the cluster serves now
     * @param devices        without a flash root, the phones (empty: every device of the cluster file); with one, the models of the phones it names
     */
    public record Input(Path clusterFile, Path stateDirectory, Instant start, Optional<Path> flashRoot, List<Device> devices,
                        List<ChangeStep> steps, RebootPolicy reboots, boolean searchOrders, Optional<SecondCluster> clusterB) {
        public Input {
            devices = List.copyOf(devices);
            steps = List.copyOf(steps);
        }

        /** One cluster: the phones' own. */
        public Input(Path clusterFile, Path stateDirectory, Instant start, Optional<Path> flashRoot, List<Device> devices,
                     List<ChangeStep> steps, RebootPolicy reboots, boolean searchOrders) {
            this(clusterFile, stateDirectory, start, flashRoot, devices, steps, reboots, searchOrders, Optional.empty());
        }
    }

    /**
     * Cluster B of a migration: the phones start on the cluster of {@link Input#clusterFile} (A) and a
     * {@link ChangeStep.Move} points them at B's TFTP servers. Its nodes need addresses of their own.
     */
    public record SecondCluster(Path clusterFile, Path stateDirectory) {
    }

    private final Input in;
    private final Path work;
    /** The state every run copies: the cluster's saved state, or one generated once for this prediction. */
    private final Path baseState;
    /** Cluster B's state every run copies, when there is a cluster B. */
    private final Path baseStateB;
    private boolean hadState = true;
    /** Said once, before the steps' warnings: phones the prediction had to leave out, and why. */
    private final List<String> setupWarnings = new ArrayList<>();
    private final ExecutorService pool;
    /** The phones simulated, by MAC: one per group of phones that end the same way ({@link #members}). */
    private final Map<String, String> models = new LinkedHashMap<>();
    /**
     * Every phone a simulated one stands for, itself first, by the simulated phone's MAC. Phones with the same model,
     * the same device settings in the cluster file (or none) and no key of their own (no LSC, no encrypted config)
     * boot the same files through the same rules: one is simulated and its outcome counted for each (the phone's MAC
     * is in no decision but the file names, and the rules' words carry it as {@code <MAC>}). A phone a step names is
     * simulated on its own.
     */
    private final Map<String, List<String>> members = new LinkedHashMap<>();
    /** Where the prediction is, for a progress line; read from any thread. */
    private final Progress progress;
    /** Where each phone's flash is, by phone name. */
    private final Map<String, Path> flashOf = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the phones use as their network: the offline network itself, except in the test that rewords its console lines. */
    private final java.util.function.UnaryOperator<org.phoneemu.phone.PhoneNetwork> phoneNetwork;

    private Predictor(Input in, Path work, java.util.function.UnaryOperator<org.phoneemu.phone.PhoneNetwork> phoneNetwork,
                      Progress progress) {
        this.in = in;
        this.progress = progress;
        this.work = work;
        this.phoneNetwork = phoneNetwork;
        this.baseState = work.resolve("base-state");
        this.baseStateB = work.resolve("base-state-b");
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "predict-phone");
            t.setDaemon(true);
            return t;
        });
    }

    public static Prediction predict(Input in) throws IOException, ClusterSpecException, PredictionException {
        return predict(in, new Progress());
    }

    /** A prediction that says where it is in {@code progress} as it goes (a long one: the CLI's progress line). */
    public static Prediction predict(Input in, Progress progress) throws IOException, ClusterSpecException, PredictionException {
        return predict(in, java.util.function.UnaryOperator.identity(), progress);
    }

    /** A prediction whose phones talk through {@code phoneNetwork} wrapped around the offline network. */
    static Prediction predict(Input in, java.util.function.UnaryOperator<org.phoneemu.phone.PhoneNetwork> phoneNetwork)
            throws IOException, ClusterSpecException, PredictionException {
        return predict(in, phoneNetwork, new Progress());
    }

    private static Prediction predict(Input in, java.util.function.UnaryOperator<org.phoneemu.phone.PhoneNetwork> phoneNetwork,
                                      Progress progress) throws IOException, ClusterSpecException, PredictionException {
        Path work = Files.createTempDirectory("phone-emu-predict");
        Predictor p = new Predictor(in, work, phoneNetwork, progress);
        try {
            return p.run();
        } finally {
            p.pool.shutdownNow();
            ClusterCopy.deleteDirectory(work);
        }
    }

    private Prediction run() throws IOException, ClusterSpecException, PredictionException {
        // Without a saved state, keys are generated once here, so every run (and the phones' initial lists) see the same cluster.
        try (ClusterCopy base = ClusterCopy.open(in.clusterFile(), in.stateDirectory(), new VirtualClock(in.start()))) {
            hadState = base.hadState();
            ClusterCopy.copyDirectory(base.stateDirectory(), baseState);
        }
        if (in.clusterB().isPresent()) {
            SecondCluster b = in.clusterB().get();
            try (ClusterCopy base = ClusterCopy.open(b.clusterFile(), b.stateDirectory(), new VirtualClock(in.start()))) {
                ClusterCopy.copyDirectory(base.stateDirectory(), baseStateB);
            }
        } else if (in.steps().stream().anyMatch(Predictor::namesClusterB)) {
            throw new PredictionException("a step names cluster B, but there is no cluster B: give its cluster file with --cluster-b");
        }
        Path initial = work.resolve("initial");
        Files.createDirectories(initial);
        // The folder every cluster's admin shell shares (the administrators' SFTP server: downloaded certificates,
        // Bulk Certificate Management's files).
        Files.createDirectories(work.resolve("admin-files"));
        progress.phase("the phones before the change");
        StepResult before = prepare(initial);
        Simulation main = simulate(in.steps(), initial, "run", true);
        List<String> warnings = new ArrayList<>(setupWarnings);
        warnings.addAll(main.warnings);
        Prediction draft = new Prediction(main.label, in.reboots(), before, main.steps, main.after, warnings, List.of(), "");
        long movable = in.steps().stream().filter(Predictor::operatorStep).count();
        if (draft.everyPhoneStaysTrusted() || !in.searchOrders() || movable < 2) {
            return draft;
        }
        if (movable > MAX_STEPS_TO_REORDER) {
            return new Prediction(main.label, in.reboots(), before, main.steps, main.after, warnings, List.of(),
                    "other orders not searched: more than " + MAX_STEPS_TO_REORDER + " CUCM commands, waits and reboots");
        }
        int k = 0;
        for (List<ChangeStep> order : permutations(in.steps())) {
            if (order.equals(in.steps())) {
                continue;
            }
            Simulation s = simulate(order, initial, "order-" + (k++), false);
            if (s.everyRebootTrusted()) {
                return new Prediction(main.label, in.reboots(), before, main.steps, main.after, warnings,
                        order.stream().map(ChangeStep::describe).toList(), "this order keeps every phone trusted");
            }
        }
        return new Prediction(main.label, in.reboots(), before, main.steps, main.after, warnings, List.of(),
                "no order of these steps keeps every phone trusted: add a step (e.g. reboot phones, or utils itl reset localkey)");
    }

    /** Fills {@code initial} with the phones' flash before the change; returns their state as step 0. */
    private StepResult prepare(Path initial) throws IOException, ClusterSpecException, PredictionException {
        List<FlashFolders.Found> found = copyFlashFolders(initial);
        try (ClusterCopy copy = open()) {
            Cluster c = copy.cluster();
            if (in.flashRoot().isEmpty()) {
                groupServedPhones(c);
            } else {
                for (FlashFolders.Found f : found) {
                    String mac = f.device().mac();
                    boolean listed = in.devices().stream().anyMatch(d -> d.mac().equals(mac));
                    models.put(mac, listed ? f.device().model() : c.spec().device(mac).map(d -> d.model()).orElse(Device.DEFAULT_MODEL));
                }
            }
            if (models.isEmpty()) {
                throw new PredictionException(setupWarnings.isEmpty()
                        ? "the cluster file has no devices and no --flash-root was given: no phone to predict for"
                        : "no phone to predict for: " + String.join("; ", setupWarnings));
            }
            OfflineNetwork net = new OfflineNetwork(copy);
            progress.phones(models.size(), phoneCount());
            progress.phase("the phones before the change");
            Map<String, Phone> phones = phones(c, net, initial);
            String why = in.flashRoot().isPresent() ? "the phones' flash folders of " + in.flashRoot().get() + ", if they reboot now"
                    : "every phone holds what the cluster serves now";
            List<PhoneOutcome> outcomes = in.flashRoot().isPresent() ? whatIf(c, Map.of(), net, phones) : bootAll(net, phones);
            return new StepResult(0, "before the change", List.of(), false, in.flashRoot().isEmpty(), why, servedItl(copy), outcomes);
        }
    }

    /** With a flash root, copies each phone's flash folder into {@code initial}; returns the phones found (none without). */
    private List<FlashFolders.Found> copyFlashFolders(Path initial) throws IOException, PredictionException {
        if (in.flashRoot().isEmpty()) {
            return List.of();
        }
        List<FlashFolders.Found> found;
        try {
            // Models from --devices when it names the phones; the cluster file's are read below.
            found = FlashFolders.phones(in.flashRoot().get(), in.devices());
        } catch (IOException e) {
            throw new PredictionException(e.getMessage());
        }
        for (FlashFolders.Found f : found) {
            ClusterCopy.copyDirectory(f.flash(), initial.resolve(f.device().name()));
        }
        return found;
    }

    /**
     * Phones holding what the cluster serves now: those of --devices (else every device of the cluster file), grouped
     * so that one phone stands for every other of the same model and settings; a phone a step names, or one with its
     * own certificate or encryption, stands alone.
     */
    private void groupServedPhones(Cluster c) {
        Map<String, String> wanted = new LinkedHashMap<>();
        if (in.devices().isEmpty()) {
            c.spec().devices().forEach(d -> wanted.put(d.mac().toUpperCase(Locale.ROOT), d.model()));
        } else {
            in.devices().forEach(d -> wanted.put(d.mac(), d.model()));
        }
        Set<String> named = namedPhones(in.steps());
        Map<String, String> groupOf = new java.util.HashMap<>();
        progress.phase("grouping " + wanted.size() + " phones");
        // By MAC once: the cluster file's lookup normalises its argument each time (a tenth of a large run's CPU).
        Map<String, org.phoneemu.cucm.config.DeviceSpec> inFile = new java.util.HashMap<>();
        c.spec().devices().forEach(d -> inFile.put(d.mac(), d));
        wanted.forEach((mac, model) -> {
            Optional<org.phoneemu.cucm.config.DeviceSpec> device = Optional.ofNullable(inFile.get(mac));
            // A phone that enrolled over CAPF made its own key: a config encrypted to it opens only on that
            // phone's flash, which "serves now" does not have. Only a device of the cluster file has keys there.
            boolean ownKey = device.isPresent() && c.enrolledLsc(mac).isPresent() && device.get().encryption();
            if (ownKey) {
                setupWarnings.add("SEP" + mac + " left out: its config is encrypted to the LSC it enrolled over CAPF, whose key"
                        + " only its flash holds; predict it with --flash-root");
                return;
            }
            boolean alone = named.contains(mac) || device.isPresent() && (device.get().lsc() || device.get().encryption()
                    || c.deviceLsc(mac).isPresent() || c.enrolledLsc(mac).isPresent());
            String key = model + "\n" + device.map(d -> d.toString().replace(d.mac(), "")).orElse("not in the cluster file");
            String rep = alone ? null : groupOf.get(key);
            if (rep == null) {
                models.put(mac, model);
                members.put(mac, new ArrayList<>(List.of(mac)));
                if (!alone) {
                    groupOf.put(key, mac);
                }
            } else {
                members.get(rep).add(mac);
            }
        });
    }

    private ClusterCopy open() throws IOException, ClusterSpecException {
        return ClusterCopy.open(in.clusterFile(), baseState, new VirtualClock(in.start()));
    }

    /** Cluster B's copy on A's clock (one virtual time for both), or none. */
    private Optional<ClusterCopy> openB(Cluster a) throws IOException, ClusterSpecException {
        if (in.clusterB().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ClusterCopy.open(in.clusterB().get().clusterFile(), baseStateB, a.clock()));
    }

    private static boolean namesClusterB(ChangeStep step) {
        return step instanceof ChangeStep.Move m && m.cluster().equals("B")
                || step instanceof ChangeStep.Admin a && a.cluster().filter("B"::equals).isPresent();
    }

    /** One run of the steps in {@code order} on a fresh copy of the cluster and of the phones' initial flash. */
    private Simulation simulate(List<ChangeStep> order, Path initial, String name, boolean whatIfSteps)
            throws IOException, ClusterSpecException, PredictionException {
        Path flash = work.resolve(name);
        ClusterCopy.copyDirectory(initial, flash);
        try (ClusterCopy copy = open(); ClusterCopy copyB = openB(copy.cluster()).orElse(null)) {
            Cluster c = copy.cluster();
            Optional<Cluster> cb = Optional.ofNullable(copyB).map(ClusterCopy::cluster);
            OfflineNetwork net = new OfflineNetwork(copyB == null ? List.of(copy) : List.of(copy, copyB));
            Map<String, Phone> phones = phones(c, net, flash);
            // Which cluster's TFTP each phone is pointed at (its DHCP option 150), by MAC.
            Map<String, Cluster> pointedAt = new LinkedHashMap<>();
            phones.keySet().forEach(mac -> pointedAt.put(mac, c));
            AtomicBoolean reset = new AtomicBoolean();
            c.onResetPhones(e -> reset.set(true));
            cb.ifPresent(b -> b.onResetPhones(e -> reset.set(true)));
            World w = new World(c, cb, (VirtualClock) c.clock(), net, phones, pointedAt, reset);
            Simulation sim = new Simulation(label(c, cb));
            Set<String> warned = new LinkedHashSet<>();
            int n = 0;
            boolean rebootedLast = false;
            for (ChangeStep step : order) {
                n++;
                progress.phase((whatIfSteps ? "" : "another order (" + name + "): ") + "step " + n + " of " + order.size() + " (" + step.describe() + ")");
                reset.set(false);
                StepEffect e = apply(step, n, w, sim);
                List<PhoneOutcome> outcomes = e.reboot() ? bootAll(net, e.targets())
                        : whatIfSteps && operatorStep(step) ? whatIf(c, pointedAt, net, phones) : List.of();
                StepResult result = new StepResult(n, step.describe(), e.output(), e.refused(), e.reboot(), e.why(),
                        servedItl(served(copy, copyB, pointedAt)), outcomes, e.presses(), e.menus());
                sim.steps.add(result);
                rebootedLast = e.reboot() && e.targets().size() == phones.size();
                if (!whatIfSteps && (e.refused() || (e.reboot() && !result.allTrusted()) || !result.noPressRefused())) {
                    // Searching orders: this one already fails, the rest of it cannot help.
                    sim.after = result;
                    return sim;
                }
                warnings(c, phones, warned);
            }
            if (rebootedLast) {
                StepResult last = sim.steps.get(sim.steps.size() - 1);
                sim.after = new StepResult(n + 1, "after the change", List.of(), false, true, "phones as the last step left them",
                        last.servedItl(), last.phones());
            } else {
                progress.phase((whatIfSteps ? "" : "another order (" + name + "): ") + "after the change");
                sim.after = new StepResult(n + 1, "after the change", List.of(), false, true, "the phones reboot",
                        servedItl(served(copy, copyB, pointedAt)), bootAll(net, phones));
            }
            sim.warnings.addAll(warned);
            betweenSteps(sim).ifPresent(sim.warnings::add);
            return sim;
        }
    }

    /** The copied clusters and phones one simulation runs on. */
    private record World(Cluster a, Optional<Cluster> b, VirtualClock clock, OfflineNetwork net, Map<String, Phone> phones,
                         Map<String, Cluster> pointedAt, AtomicBoolean reset) {
    }

    /** What one step did before any phone boots: the admin output, whether the phones reboot (which ones) and why. */
    private record StepEffect(List<String> output, boolean refused, boolean reboot, Collection<Phone> targets,
                              List<PressOutcome> presses, List<MenuOutcome> menus, String why) {
        static StepEffect quiet(Collection<Phone> targets, String why) {
            return new StepEffect(List.of(), false, false, targets, List.of(), List.of(), why);
        }
    }

    private String label(Cluster c, Optional<Cluster> cb) {
        return "cluster " + c.spec().name() + cb.map(b -> " (A) and cluster " + b.spec().name() + " (B)").orElse("") + (hadState
                ? " (the saved state in " + in.stateDirectory() + ": keys, certificates and hold timers as earlier cucm commands left them; --state DIR for another)"
                : " (no saved state: keys generated for this prediction)");
    }

    private StepEffect apply(ChangeStep step, int n, World w, Simulation sim) throws IOException, PredictionException {
        Collection<Phone> all = w.phones().values();
        if (step instanceof ChangeStep.Admin a) {
            return admin(a, n, w, sim);
        } else if (step instanceof ChangeStep.Move m) {
            Cluster to = m.cluster().equals("B") ? w.b().orElseThrow() : w.a();
            for (Phone p : targets(w.phones(), m.phone(), n)) {
                await(p.useTftpServers(tftpServers(to)), "pointing " + p.name() + " at cluster " + m.cluster());
                w.pointedAt().put(p.mac(), to);
            }
            return StepEffect.quiet(all, "if a phone reboots now");
        } else if (step instanceof ChangeStep.Wait wait) {
            w.clock().advance(wait.duration());
            return StepEffect.quiet(all, "if a phone reboots now");
        } else if (step instanceof ChangeStep.Reboot r) {
            return new StepEffect(List.of(), false, true, targets(w.phones(), r.phone(), n), List.of(), List.of(),
                    r.phone().isPresent() ? "the phone reboots" : "the phones reboot");
        } else if (step instanceof ChangeStep.Press p) {
            Collection<Phone> targets = targets(w.phones(), p.phone(), n);
            return new StepEffect(List.of(), false, false, targets, press(w.net(), targets, p.button()), List.of(),
                    "the phones open the URL of their config");
        } else {
            ChangeStep.Menu m = (ChangeStep.Menu) step;
            Collection<Phone> targets = targets(w.phones(), m.phone(), n);
            return new StepEffect(List.of(), false, false, targets, List.of(), menu(targets, m.operation()),
                    "the Trust List menu on the phone");
        }
    }

    /** An admin command on the copy of cluster A (or B); a refusal is a warning and changes nothing. */
    private StepEffect admin(ChangeStep.Admin a, int n, World w, Simulation sim) throws IOException, PredictionException {
        Cluster on = a.cluster().filter("B"::equals).isPresent() ? w.b().orElseThrow() : w.a();
        String node = a.node().orElse(on.publisher().id());
        AdminShell shell;
        try {
            shell = new AdminShell(on, node);
        } catch (IllegalArgumentException e) {
            throw new PredictionException("step " + n + ": " + e.getMessage());
        }
        shell.workingDirectory(work.resolve("admin-files"));
        AdminShell.Result done = shell.run(a.command());
        if (done.refused()) {
            sim.warnings.add("step " + n + " (" + a.describe() + ") is refused by CUCM: " + done.reason() + "; nothing changes");
        }
        boolean reboot = in.reboots() == RebootPolicy.CLUSTER_RESETS && w.reset().get();
        return new StepEffect(done.output().lines().toList(), done.refused(), reboot, w.phones().values(), List.of(), List.of(),
                reboot ? "the cluster resets the phones" : "if a phone reboots now");
    }

    /** A step after which a rebooting phone would lock although the finished change would not lock it. */
    private static Optional<String> betweenSteps(Simulation sim) {
        for (StepResult s : sim.steps) {
            if (!s.phonesRebooted() && !s.phones().isEmpty() && !s.allTrusted() && sim.after.allTrusted()) {
                return Optional.of("between steps: a phone that reboots after step " + s.number() + " (power cycle, outage) ends "
                        + s.phones().stream().filter(p -> p.verdict() != Verdict.TRUSTED).findFirst().map(p -> p.verdict().label()).orElse("")
                        + " although the finished change would not lock it");
            }
        }
        return Optional.empty();
    }

    private static final class Simulation {
        final String label;
        final List<StepResult> steps = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        StepResult after;

        Simulation(String label) {
            this.label = label;
        }

        /** Every real reboot ends trusted and CUCM accepted every step (an order that needs a refused step is no order). */
        boolean everyRebootTrusted() {
            return steps.stream().noneMatch(StepResult::refused) && steps.stream().filter(StepResult::phonesRebooted).allMatch(StepResult::allTrusted)
                    && steps.stream().allMatch(StepResult::noPressRefused) && after.allTrusted();
        }
    }

    private Map<String, Phone> phones(Cluster c, OfflineNetwork net, Path flashRoot) throws IOException {
        Map<String, Phone> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : models.entrySet()) {
            Path flash = flashRoot.resolve("SEP" + e.getKey());
            flashOf.put("SEP" + e.getKey(), flash);
            out.put(e.getKey(), phone(c, net, e.getKey(), e.getValue(), flash));
        }
        return out;
    }

    /** The cluster whose ITL a step shows: B's once every phone is pointed at B, else A's. */
    private static ClusterCopy served(ClusterCopy a, ClusterCopy b, Map<String, Cluster> pointedAt) {
        return b != null && !pointedAt.isEmpty() && pointedAt.values().stream().allMatch(c -> c == b.cluster()) ? b : a;
    }

    /** A cluster's TFTP nodes, publisher first: the option-150 list of a phone pointed at it. */
    private static List<InetSocketAddress> tftpServers(Cluster c) {
        return c.nodes().stream().filter(Node::tftp).map(n -> new InetSocketAddress(n.address(), n.tftpPort())).toList();
    }

    private Phone phone(Cluster c, OfflineNetwork net, String mac, String model, Path flash) throws IOException {
        return phone(c, c, net, mac, model, flash);
    }

    /** A phone of cluster {@code home} (its LSC) pointed at {@code tftp}'s TFTP servers. */
    private Phone phone(Cluster c, Cluster tftp, OfflineNetwork net, String mac, String model, Path flash) throws IOException {
        PhoneBuilder b = Phone.builder().mac(mac).model(model).flash(flash).clock(c.clock()).network(phoneNetwork.apply(net)).executor(pool).micBits(1024)
                .scratchFlash()
                // Each boot ends with the registration, as `boot` does: the offline network asks the registrar's rules.
                .registers(true);
        // The flash's own LSC (one enrolled over CAPF, say) wins; a fresh phone gets the one the cluster issued.
        if (!Files.exists(flash.resolve(org.phoneemu.core.store.TrustStore.LSC))) {
            c.deviceLsc(mac).ifPresent(b::lsc);
        }
        tftpServers(tftp).forEach(b::tftpServer);
        return b.build();
    }

    private List<PhoneOutcome> bootAll(OfflineNetwork net, Map<String, Phone> phones) throws PredictionException {
        return bootAll(net, phones.values());
    }

    private List<PhoneOutcome> bootAll(OfflineNetwork net, Collection<Phone> phones) throws PredictionException {
        List<PhoneOutcome> out = new ArrayList<>();
        for (Phone p : phones) {
            PhoneOutcome o = boot(net, p);
            forEachMember(p, name -> out.add(o.phone().equals(name) ? o : o.as(name)));
        }
        return out;
    }

    /** How many phones the prediction is for (each simulated one counts for its group). */
    private int phoneCount() {
        return members.isEmpty() ? models.size() : members.values().stream().mapToInt(List::size).sum();
    }

    /** {@code each} for the name of every phone {@code p} stands for, {@code p} first. */
    private void forEachMember(Phone p, java.util.function.Consumer<String> each) {
        List<String> of = members.get(p.mac());
        if (of == null) {
            each.accept(p.name());
        } else {
            for (String mac : of) {
                each.accept("SEP" + mac);
            }
        }
    }

    /** The MACs a step names (a reboot, press, menu or move of one phone): they are simulated on their own. */
    private static Set<String> namedPhones(List<ChangeStep> steps) {
        Set<String> out = new java.util.HashSet<>();
        for (ChangeStep st : steps) {
            Optional<String> phone = st instanceof ChangeStep.Move m ? m.phone()
                    : st instanceof ChangeStep.Reboot r ? r.phone()
                    : st instanceof ChangeStep.Press p ? p.phone()
                    : st instanceof ChangeStep.Menu m ? m.phone() : Optional.empty();
            phone.ifPresent(n -> out.add(n.toUpperCase(Locale.ROOT).replaceFirst("^SEP", "")));
        }
        return out;
    }

    /** Each phone boots on a copy of its flash; the phones themselves keep what they had. */
    private List<PhoneOutcome> whatIf(Cluster c, Map<String, Cluster> pointedAt, OfflineNetwork net, Map<String, Phone> phones)
            throws IOException, PredictionException {
        List<PhoneOutcome> out = new ArrayList<>();
        Path scratch = work.resolve("what-if");
        for (Phone p : phones.values()) {
            ClusterCopy.deleteDirectory(scratch);
            Path own = flashOf.get(p.name());
            ClusterCopy.copyDirectory(own, scratch);
            PhoneOutcome o = boot(net, phone(c, pointedAt.getOrDefault(p.mac(), c), net, p.mac(), models.get(p.mac()), scratch));
            forEachMember(p, name -> out.add(o.phone().equals(name) ? o : o.as(name)));
        }
        ClusterCopy.deleteDirectory(scratch);
        return out;
    }

    private PhoneOutcome boot(OfflineNetwork net, Phone phone) throws PredictionException {
        progress.booting(phone.name());
        String before = installed(phone);
        String itlBefore = phone.securityDaemon().trust().itl().map(l -> l.file().md5Hex()).orElse("none");
        BootReport r = await(phone.boot(), "the simulated boot of " + phone.name());
        boolean changed = !r.itlMd5().orElse("none").equals(itlBefore);
        List<TvsConsultation> tvs = r.trustLists().stream().flatMap(s -> s.tvs().stream()).flatMap(a -> a.servers().stream())
                .map(a -> TvsConsultation.of(a, net)).toList();
        return new PhoneOutcome(phone.name(), before, Verdict.of(r), changed, tvs, withTvs(rule(r, phone.mac()), tvs, r),
                // The file name carries the MAC: written <MAC>, as the rule is, so phones group and a group's outcome fits each.
                provisioning(r, models.getOrDefault(phone.mac(), Device.DEFAULT_MODEL)).replace(phone.mac(), "<MAC>"),
                RegistrationVerdict.of(r.registration()));
    }

    /**
     * For a model that provisions over HTTPS: when its own decision refused the 6971 certificate this boot, what that
     * did to its configuration download (read from the report's values: the attempts each file fell back from).
     */
    static String provisioning(BootReport r, String model) {
        return r.files().stream().filter(f -> f.name().toLowerCase(Locale.ROOT).contains(".cnf.xml"))
                .flatMap(f -> f.fellBack().stream()
                        .filter(a -> a.transport() == org.phoneemu.tftp.boot.Transport.HTTPS && a.certificateRefused())
                        .map(a -> model + " (HTTPS provisioning): " + org.phoneemu.tac.audit.Auditor.PROVISIONING_REFUSED + " (" + a.why() + "); " + f.name()
                                + " came over " + (f.transport() == org.phoneemu.tftp.boot.Transport.HTTP ? "HTTP 6970" : "TFTP")
                                + " instead, where it must be signed"))
                .reduce((a, b) -> b).orElse("");
    }

    /** Every phone, or the one a step names (SEP&lt;MAC&gt;). */
    private static Collection<Phone> targets(Map<String, Phone> phones, Optional<String> phone, int step) throws PredictionException {
        if (phone.isEmpty()) {
            return phones.values();
        }
        String mac = phone.get().toUpperCase(Locale.ROOT).replaceFirst("^SEP", "");
        Phone p = phones.get(mac);
        if (p == null) {
            throw new PredictionException("step " + step + ": no phone " + phone.get() + " in this prediction (phones: "
                    + phones.values().stream().map(Phone::name).reduce((a, b) -> a + ", " + b).orElse("none") + ")");
        }
        return List.of(p);
    }

    /** Waits for a simulated phone's operation: a prediction that cannot finish one says which, in one line. */
    private static <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) throws PredictionException {
        try {
            return f.get(BOOT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PredictionException(what + " was interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new PredictionException(what + " did not finish within " + BOOT_TIMEOUT_SECONDS + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new PredictionException(what + " failed: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        }
    }

    /** Each phone presses the button; its own HTTPS check decides, asking TVS over the offline network when it must. */
    private List<PressOutcome> press(OfflineNetwork net, Collection<Phone> phones, Button button) throws PredictionException {
        List<PressOutcome> out = new ArrayList<>();
        for (Phone p : phones) {
            String before = installed(p);
            PressResult r = await(p.press(button), "the simulated press on " + p.name());
            List<TvsConsultation> tvs = r.tvs().stream().map(a -> TvsConsultation.of(a, net)).toList();
            PressOutcome o = PressRule.outcome(p.name(), before, r, tvs, net);
            forEachMember(p, name -> out.add(o.phone().equals(name) ? o : o.as(name)));
        }
        return out;
    }

    /** Each phone's own Trust List menu decides (settingsAccess), and writes its flash as the phone would. */
    private List<MenuOutcome> menu(Collection<Phone> phones, ChangeStep.MenuOperation operation) throws PredictionException {
        List<MenuOutcome> out = new ArrayList<>();
        for (Phone p : phones) {
            MenuResult r = await(switch (operation) {
                case ERASE_ITL -> p.eraseItl();
                case ERASE_CTL -> p.eraseCtl();
                case FACTORY_RESET -> p.factoryReset();
            }, "the simulated menu operation on " + p.name());
            MenuOutcome o = r instanceof MenuResult.Done d ? new MenuOutcome(p.name(), operation, true, d.message())
                    : new MenuOutcome(p.name(), operation, false, ((MenuResult.Refused) r).reason());
            forEachMember(p, name -> out.add(o.phone().equals(name) ? o : new MenuOutcome(name, o.operation(), o.done(), o.rule())));
        }
        return out;
    }

    private static String installed(Phone p) {
        return "ITL " + p.securityDaemon().trust().itl().map(l -> l.file().md5Hex()).orElse("none")
                + " / CTL " + p.securityDaemon().trust().ctl().map(l -> l.file().md5Hex()).orElse("none");
    }

    /**
     * The phone's deciding decision of this boot in its own words (the text its console line carries after the daemon's
     * prefix), with the MAC written {@code <MAC>}. Read from the report's values, never from console lines.
     */
    static String rule(BootReport r, String mac) {
        Optional<String> pick = Optional.empty();
        if (r.locked()) {
            pick = r.trustLists().stream().filter(s -> s instanceof TrustListStep.Refused).reduce((a, b) -> b).map(TrustListStep::text);
        } else if (r.error().isPresent()) {
            return r.error().get();
        } else if (!r.configApplied()) {
            pick = r.config().filter(c -> !(c instanceof ConfigStep.Applied)).map(ConfigStep::text);
        }
        if (pick.isEmpty()) {
            Optional<TrustListStep> itl = r.trustList(TrustListKind.ITL)
                    .filter(s -> s instanceof TrustListStep.Installed || s instanceof TrustListStep.Unchanged);
            Optional<TrustListStep> ctl = r.trustList(TrustListKind.CTL).filter(s -> s instanceof TrustListStep.Installed);
            pick = itl.or(() -> ctl).map(TrustListStep::text)
                    .or(() -> r.config().filter(c -> c instanceof ConfigStep.Applied).map(ConfigStep::text));
        }
        return pick.map(p -> p.replace(mac, "<MAC>")).orElse("no trust list decision in this boot");
    }

    /** When TVS was asked, the rule says about whom and what each TVS would answer, in one line. */
    static String withTvs(String rule, List<TvsConsultation> tvs, BootReport r) {
        Optional<TrustListStep.TvsAsked> asked = r.askedTvs().flatMap(TrustListStep::tvs);
        if (tvs.isEmpty() || asked.isEmpty()) {
            return rule;
        }
        String verdict = r.locked() ? "refused" : "installed";
        return "new list signed by " + asked.get().signer() + ", not in the installed lists; "
                + tvs.stream().map(TvsConsultation::describe).reduce((a, b) -> a + ", " + b).orElse("") + ": " + verdict;
    }

    /** The ITL the first TFTP node serves: MD5, signer and serial. */
    static String servedItl(ClusterCopy copy) {
        Cluster c = copy.cluster();
        Node first = c.nodes().stream().filter(Node::tftp).findFirst().orElse(c.publisher());
        Optional<byte[]> b = copy.file(first.id(), "ITLFile.tlv");
        if (b.isEmpty()) {
            return "no ITLFile.tlv";
        }
        try {
            TrustList l = TrustList.parse(b.get(), TrustListKind.ITL);
            return "ITLFile.tlv MD5 " + l.file().md5Hex() + ", signed by " + l.file().signer().name() + " serial "
                    + Certificates.serialDisplay(l.file().signer().serial().toArray());
        } catch (MalformedFileException e) {
            return "ITLFile.tlv does not parse: " + e.getMessage();
        }
    }

    /** Warnings about what the cluster serves and how the phones are set up, each said once. */
    private static void warnings(Cluster c, Map<String, Phone> phones, Set<String> warned) {
        Node first = c.nodes().stream().filter(Node::tftp).findFirst().orElse(c.publisher());
        c.file(first.id(), "ITLFile.tlv").ifPresent(b -> {
            try {
                TrustList l = TrustList.parse(b, TrustListKind.ITL);
                boolean recovery = l.recordsWithRole(Role.SAST).stream()
                        .anyMatch(r -> r.subjectName().toUpperCase(Locale.ROOT).contains("ITLRECOVERY"));
                if (!recovery && !l.isBlank()) {
                    warned.add("the served ITL has no ITLRecovery record: if this change locks phones, utils itl reset cannot bring them back in bulk");
                }
            } catch (MalformedFileException e) {
                warned.add("the served ITL does not parse: " + e.getMessage());
            }
        });
        for (Phone p : phones.values()) {
            List<String> tvs = p.config().map(PhoneConfig::tvsServers).orElse(List.of()).stream().map(t -> t.address()).toList();
            if (tvs.size() == 1) {
                // Named by host name: a model of a live cluster has addresses of its own.
                String node = c.nodes().stream().filter(n -> n.address().getHostAddress().equals(tvs.get(0))).map(Node::hostname)
                        .findFirst().orElse(tvs.get(0));
                warned.add("single-node TVS: phones such as " + p.name() + " have one TVS server (" + node
                        + "); regenerating its TVS certificate together with CallManager leaves them no TVS to ask");
                break;
            }
        }
    }

    /**
     * CUCM commands, waits and reboots are the operator's: they are reordered, and a phone that would reboot after one
     * is predicted. What users do on the phones (presses, the Trust List menu) is not the operator's to move, and is
     * no moment for a power cycle.
     */
    private static boolean operatorStep(ChangeStep step) {
        return !(step instanceof ChangeStep.Press || step instanceof ChangeStep.Menu);
    }

    /** Every order of the operator's steps, the others where they were. */
    static List<List<ChangeStep>> permutations(List<ChangeStep> steps) {
        List<List<ChangeStep>> orders = new ArrayList<>();
        permute(new ArrayList<>(steps.stream().filter(Predictor::operatorStep).toList()), 0, orders, new LinkedHashSet<>());
        List<List<ChangeStep>> out = new ArrayList<>();
        for (List<ChangeStep> order : orders) {
            java.util.Iterator<ChangeStep> next = order.iterator();
            out.add(steps.stream().map(st -> operatorStep(st) ? next.next() : st).toList());
        }
        return out;
    }

    private static void permute(List<ChangeStep> a, int k, List<List<ChangeStep>> out, Set<List<ChangeStep>> seen) {
        if (k == a.size()) {
            if (seen.add(List.copyOf(a))) {
                out.add(List.copyOf(a));
            }
            return;
        }
        for (int i = k; i < a.size(); i++) {
            java.util.Collections.swap(a, k, i);
            permute(a, k + 1, out, seen);
            java.util.Collections.swap(a, k, i);
        }
    }
}
