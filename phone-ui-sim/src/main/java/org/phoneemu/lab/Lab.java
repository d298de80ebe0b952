package org.phoneemu.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.phoneemu.capf.client.CapfClient;
import org.phoneemu.capf.client.CapfClientOptions;
import org.phoneemu.capf.client.CapfEnrollment;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.CapfSettings;
import org.phoneemu.phone.PhoneBuilder;
import org.phoneemu.core.device.Mac;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.Registration;
import org.phoneemu.cucm.ResetEvent;
import org.phoneemu.fleet.Fleet;
import org.phoneemu.fleet.FleetOptions;
import org.phoneemu.fleet.MicPool;
import org.phoneemu.fleet.PhoneResult;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PhoneNetwork;
import org.phoneemu.web.BootStats;
import org.phoneemu.web.FleetView;

/**
 * A simulated cluster and the phones pointed at it: what {@code ./phone-emu lab} and the scenario runner drive.
 * Phones use the cluster's TFTP nodes in order as their option-150 list.
 */
public final class Lab implements AutoCloseable, FleetView {
    private final Cluster cluster;
    private final BootStats bootStats = new BootStats();
    /** While true, CUCM's resets do not reach the phones (as phones that are unplugged or cannot register). */
    private volatile boolean resetsIgnored;
    private final Map<String, Phone> phones = new LinkedHashMap<>();
    private final ExecutorService phoneWork;
    private final Map<String, AdminShell> shells = new LinkedHashMap<>();
    /** The web panel's shell: files only inside the working directory (a page must not choose where a key goes). */
    private AdminShell webShell;
    private Registration resetRegistration;
    private volatile Optional<String> lastItlMd5 = Optional.empty();
    private final Object itlMd5Lock = new Object();
    /** Counts the admin commands' stores of {@link #lastItlMd5} (guarded by {@link #itlMd5Lock}). */
    private long itlGeneration;
    /** For a test: runs in the background read between reading the ITL and storing its MD5. */
    volatile Runnable beforeBackgroundItlStore = () -> { };
    private final java.util.concurrent.atomic.AtomicBoolean itlMd5Reading = new java.util.concurrent.atomic.AtomicBoolean();
    private final ExecutorService itlMd5Reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lab-itl-md5");
        t.setDaemon(true);
        return t;
    });
    private Fleet fleet;

    private Lab(Cluster cluster, ExecutorService phoneWork) {
        this.cluster = cluster;
        this.phoneWork = phoneWork;
    }

    /**
     * Starts {@code cluster} (already built) and creates a phone per MAC with its flash under {@code flashRoot}.
     *
     * @param micBits key size of generated MICs (1024 keeps large labs quick)
     */
    /** The clusters whose node names this lab's phones resolve without DNS: its own, then any a ClusterSet adds. */
    private final List<Cluster> namedClusters = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Lets this lab's phones resolve another cluster's node names (clusters started beside this one). */
    void resolveNamesOf(Cluster other) {
        namedClusters.add(other);
    }

    public static Lab start(Cluster cluster, List<String> macs, Path flashRoot, Clock clock, PhoneNetwork network, int micBits)
            throws IOException {
        return start(cluster, macs, flashRoot, clock, network, micBits, null);
    }

    /** As above, with MICs issued from a key pool ({@code mics} null: each phone generates its key). */
    public static Lab start(Cluster cluster, List<String> macs, Path flashRoot, Clock clock, PhoneNetwork network, int micBits,
                            MicPool mics) throws IOException {
        cluster.start().join();
        ExecutorService work = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "phone-work");
            t.setDaemon(true);
            return t;
        });
        Lab lab = new Lab(cluster, work);
        lab.namedClusters.add(cluster);
        if (network instanceof org.phoneemu.phone.NettyPhoneNetwork n) {
            n.callManagerNames(callManagerNames(lab.namedClusters)); // the lab has no DNS for its nodes' names
        }
        lab.lastItlMd5 = lab.servedItlMd5();
        CapfClient capf = null;
        try {
            for (String mac : macs) {
                String m = mac.toUpperCase(Locale.ROOT);
                String model = cluster.spec().device(m).map(d -> d.model()).orElse("7970");
                Path flash = flashRoot.resolve(new Mac(m).deviceName());
                if (cluster.deviceLsc(m).isPresent()) {
                    if (capf == null) {
                        capf = CapfClient.create(CapfClientOptions.DEFAULTS.withRetries(1, java.time.Duration.ZERO), clock);
                    }
                    enrol(cluster, capf, m, model, flash, clock, micBits);
                }
                var builder = Phone.builder().mac(m).flash(flash).clock(clock).network(network)
                        .executor(work).micBits(micBits).model(model).registers(true);
                if (mics != null) {
                    builder.micSource(() -> mics.issue(new Mac(m).tvsDeviceName(model)));
                }
                for (InetSocketAddress a : lab.tftpServers()) {
                    builder.tftpServer(a);
                }
                if (!lab.tftpServers().isEmpty()) {
                    builder.provisioning(LabProvisioning.of(cluster, lab.tftpServers().get(0), model));
                }
                lab.phones.put(m, builder.build());
            }
        } finally {
            if (capf != null) {
                capf.close();
            }
        }
        return lab;
    }

    /**
     * A device the cluster file gives an LSC ({@code lsc: true}) gets it the way real phones do: over CAPF, before the
     * lab's first boot. The cluster's CAPF certificate is pinned, as on a staging bench; the phone generates the key.
     */
    private static void enrol(Cluster cluster, CapfClient capf, String mac, String model, Path flash, Clock clock, int micBits)
            throws IOException {
        if (cluster.enrolledLsc(mac).isPresent() && java.nio.file.Files.exists(flash.resolve(TrustStore.LSC))) {
            return;
        }
        ConsoleLog log = new ConsoleLog("SEP" + mac, clock);
        StatusMessages status = new StatusMessages(clock);
        TrustStore store = TrustStore.open(flash, FileOps.system(), clock, log, status);
        if (store.identity().isEmpty()) {
            store.saveIdentity(new PhoneIdentity(PhoneBuilder.manufacturerCertificate("CP-" + model + "-SEP" + mac, micBits, clock),
                    Optional.empty()));
        }
        int bits = cluster.spec().keySize("LSC");
        cluster.setCapfSettings(mac, new CapfSettings(CapfOperation.INSTALL_UPGRADE, CapfAuthMode.NULL_STRING, Optional.empty(),
                LscKeySpec.rsa(LscKeySpec.RSA_SIZES.contains(bits) ? bits : 2048)));
        byte[] pinned = encoded(cluster.capfCertificate());
        CapfOutcome outcome = CapfEnrollment.run(capf, store, status, log, cluster.capfAddress(cluster.publisher().id()), mac,
                CapfAuthMode.NULL_STRING, Optional.empty(), cert -> java.util.Arrays.equals(encoded(cert), pinned));
        if (!(outcome instanceof CapfOutcome.Installed)) {
            throw new IOException("lab phone SEP" + mac + " could not enrol over CAPF: " + CapfEnrollment.describe(outcome));
        }
    }

    private static byte[] encoded(java.security.cert.X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            return new byte[0];
        }
    }

    /** The cluster's node names (FQDN, as the configurations give them) and their addresses, read at each lookup (nodes get renamed). */
    public static java.util.function.Function<String, Optional<java.net.Inet4Address>> callManagerNames(Cluster cluster) {
        return callManagerNames(List.of(cluster));
    }

    /** As above over several clusters (a migration run: a phone moved to another cluster registers to its nodes). */
    static java.util.function.Function<String, Optional<java.net.Inet4Address>> callManagerNames(List<Cluster> clusters) {
        return name -> clusters.stream().flatMap(c -> c.nodes().stream()).filter(n -> n.fqdn().equalsIgnoreCase(name) && n.address() instanceof java.net.Inet4Address)
                .map(n -> (java.net.Inet4Address) n.address()).findFirst();
    }

    /** The TFTP servers a phone of this lab gets: every TFTP node, publisher first. */
    public List<InetSocketAddress> tftpServers() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            if (n.tftp()) {
                out.add(n.tftpAddress());
            }
        }
        return out;
    }

    /** Reboots phones when CUCM resets them (after a CallManager or TVS regeneration, or "reset phones"). */
    public void followResets(Consumer<ResetEvent> onReset) {
        resetRegistration = cluster.onResetPhones(e -> {
            onReset.accept(e);
            if (!resetsIgnored) {
                bootAll();
            }
        });
    }

    /** Whether CUCM's resets reboot the phones (see {@link #followResets}); off, the phones keep running as they are. */
    public void ignoreResets(boolean ignore) {
        resetsIgnored = ignore;
    }

    public boolean resetsIgnored() {
        return resetsIgnored;
    }

    public Cluster cluster() {
        return cluster;
    }

    @Override
    public List<Phone> phones() {
        return List.copyOf(phones.values());
    }

    @Override
    public Optional<Phone> phone(String mac) {
        return Optional.ofNullable(phones.get(mac.toUpperCase(Locale.ROOT)));
    }

    /** Runs a CUCM CLI command on {@code node} (the publisher when null or empty) and returns CUCM's output. */
    public synchronized String admin(String node, String command) { // the CLI's console and a dashboard's read may overlap
        return run(node, command).output();
    }

    /** As {@link #admin}, with whether CUCM refused the command (the hold timer, "This is not a Publisher Node", a typo). */
    public synchronized AdminShell.Result run(String node, String command) {
        String n = node == null || node.isEmpty() ? cluster.publisher().id() : node;
        AdminShell.Result r = shells.computeIfAbsent(n, k -> new AdminShell(cluster, k)).run(command);
        itlChanged();
        return r;
    }

    /**
     * A command from the web admin panel, on the publisher: as {@link #admin}, but every file the command reads or
     * writes stays inside the working directory ({@link AdminShell#confined}).
     */
    public synchronized String adminFromWeb(String command) {
        if (webShell == null) {
            webShell = new AdminShell(cluster, cluster.publisher().id()).confined(true);
        }
        String out = webShell.run(command).output();
        itlChanged();
        return out;
    }

    /**
     * After an admin command: the dashboard's next look shows the ITL the command left served. The generation makes
     * a background read that began before the command drop its (older) value instead of storing it over this one.
     */
    private void itlChanged() {
        Optional<String> md5 = servedItlMd5();
        synchronized (itlMd5Lock) {
            itlGeneration++;
            lastItlMd5 = md5;
        }
    }

    /** At most this many phones boot at once, as CUCM resets phones in batches; the rest wait their turn. */
    public static final int MAX_CONCURRENT_BOOTS = 64;

    /** Boots every phone once on the fleet engine (a round); a boot that never ends is an error in its report. */
    public CompletableFuture<List<BootReport>> bootAll() {
        Fleet f = fleet();
        List<Phone> all = f.phones();
        return f.bootRound().thenApply(round -> {
            List<PhoneResult> rows = f.rows();
            List<BootReport> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                PhoneResult row = rows.get(i);
                Phone p = all.get(i);
                out.add(row.report().orElseGet(() -> new BootReport(p.mac(), p.trustState(), Optional.empty(), Optional.empty(),
                        Optional.empty(), false, false, Optional.empty(), Optional.empty(), row.error())));
            }
            return out;
        });
    }

    /** The lab's phones as a fleet (made on first use): what boots them, and what live metrics watch. */
    public synchronized Fleet fleet() {
        if (fleet == null) {
            fleet = Fleet.of(List.copyOf(phones.values()), FleetOptions.defaults().withMaxConcurrent(MAX_CONCURRENT_BOOTS)
                    .withBootTimeout(java.time.Duration.ofMinutes(5)), cluster.clock());
            fleet.startBootsWith(p -> bootStats.time(p.mac(), p::boot)); // the dashboard's boots/s and latency
        }
        return fleet;
    }

    /**
     * The served ITL's MD5 as last read. An admin command holds the cluster's lock for seconds (key generation), so
     * the dashboard gets the last value at once and a fresh one is read in the background.
     */
    @Override
    public Optional<String> clusterItlMd5() {
        if (itlMd5Reading.compareAndSet(false, true)) {
            try {
                itlMd5Reader.execute(() -> {
                    try {
                        long generation;
                        synchronized (itlMd5Lock) {
                            generation = itlGeneration;
                        }
                        Optional<String> md5 = servedItlMd5();
                        beforeBackgroundItlStore.run();
                        synchronized (itlMd5Lock) {
                            if (generation == itlGeneration) {
                                lastItlMd5 = md5;
                            }
                        }
                    } finally {
                        itlMd5Reading.set(false);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                itlMd5Reading.set(false); // closing
            }
        }
        return lastItlMd5;
    }

    /** For a test: returns when the background reads asked so far are done. */
    void awaitBackgroundItlReads() throws Exception {
        itlMd5Reader.submit(() -> { }).get();
    }

    @Override
    public BootStats bootStats() {
        return bootStats;
    }

    @Override
    public String title() {
        return "lab: cluster " + cluster.spec().name() + ", " + phones.size() + " phone(s)";
    }

    /** The MD5 of the ITL a node serves now. */
    public Optional<String> servedItlMd5() {
        Node first = cluster.nodes().stream().filter(Node::tftp).findFirst().orElse(cluster.publisher());
        return cluster.file(first.id(), "ITLFile.tlv").map(b -> org.phoneemu.core.pki.Certificates.hash("MD5", b))
                .map(java.util.HexFormat.of()::formatHex);
    }

    /** Removes a lab's or scenario's work directory (cluster state and phone flash) before a fresh run. */
    public static void deleteWorkDirectory(java.nio.file.Path p) throws IOException {
        if (!java.nio.file.Files.exists(p)) {
            return;
        }
        try (var walk = java.nio.file.Files.walk(p)) {
            for (java.nio.file.Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(q);
            }
        }
    }

    @Override
    public void close() {
        if (resetRegistration != null) {
            resetRegistration.close();
        }
        synchronized (this) {
            if (fleet != null) {
                fleet.close();
            }
        }
        cluster.close();
        itlMd5Reader.shutdownNow();
        phoneWork.shutdown();
        try {
            phoneWork.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
