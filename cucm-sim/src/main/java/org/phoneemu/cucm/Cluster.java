package org.phoneemu.cucm;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.pki.CertificateIssuer;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated CUCM cluster: nodes with their certificates, the files each TFTP node serves, and the TFTP, TVS
 * and HTTPS servers of every node on its own loopback address.
 *
 * <pre>{@code
 * Cluster cluster = Cluster.builder()
 *         .config(Path.of("config/clusters/default.yaml"))
 *         .stateDirectory(Path.of("cucm-state"))
 *         .clock(clock)
 *         .build();
 * cluster.start().join();
 * cluster.onResetPhones(event -> fleet.resetAll());
 * cluster.admin("cucmpub").regenerateCertificate(CertificateUnit.CALLMANAGER);
 * String itl = cluster.admin("cucmpub").showItl();
 * cluster.close();
 * }</pre>
 *
 * Time comes from the injected clock (certificate validity, the hold timer, file timestamps). Admin operations
 * run on the caller's thread (they generate keys and sign files); never call them from an event loop.
 *
 * <p>The cluster owns the state and its lock; the rest is delegated by concern: {@link ClusterServers} (binding
 * and closing the servers), {@link ClusterPublisher} (files, TLS contexts and TVS store built from the state),
 * {@link ServiceTrace} (service trace lines) and {@link StateStore} (the state directory).
 */
public final class Cluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusterSpec spec;
    private final Clock clock;
    private final StateStore store;
    private final CertificateIssuer issuer;
    private final FileBuilder builder;
    private final Map<String, X509Certificate> providedLscs;
    private final Object lock = new Object();
    private final ClusterState state;
    private final Map<String, NodeRuntime> runtimes = new LinkedHashMap<>();
    private final List<Consumer<ResetEvent>> resetListeners = new CopyOnWriteArrayList<>();
    private final ServiceTrace trace;
    private final ClusterPublisher publisher;
    private final ClusterServers servers;
    private final ClusterCapf capf = new ClusterCapf(this);
    /** What the CAPF servers read on their event loops, published after each change (never the lock there). */
    private volatile KeyMaterial capfKey;
    private volatile Map<String, org.phoneemu.cucm.config.CapfSettings> capfSettingsNow = Map.of();
    /** The security modes an administrator set, as last published; lock-free, for the registrars' event loops. */
    private volatile Map<String, Integer> securityModesNow = Map.of();
    /** The simulated manufacturing CA's root and intermediate (the MICs' issuer), and the MIC trust stores as last published. */
    private final X509Certificate manufacturingRoot;
    private final X509Certificate manufacturingIntermediate;
    private volatile Map<org.phoneemu.cucm.config.MicTrustStore, List<X509Certificate>> micTrustNow = Map.of();
    private org.phoneemu.cucm.capf.CapfServerOptions capfOptions = org.phoneemu.cucm.capf.CapfServerOptions.DEFAULTS;
    private CompletableFuture<Cluster> started;
    /** What every node's registrar asks of the cluster (devices, their certificates, the clock). */
    private final org.phoneemu.cucm.sip.RegistrarDirectory registrarDirectory;
    private boolean closed;

    private Cluster(Builder b, ClusterSpec spec) throws IOException {
        this.spec = spec;
        this.clock = b.clock;
        this.store = new StateStore(b.stateDirectory);
        this.issuer = new CertificateIssuer(spec.subject(), spec.serialBytes(), clock, b.random);
        this.providedLscs = readProvidedLscs(spec);
        org.phoneemu.core.pki.ManufacturingCa mca = b.manufacturingCa != null ? b.manufacturingCa
                : org.phoneemu.core.store.ManufacturingCaStore.shared();
        this.manufacturingRoot = mca.root();
        this.manufacturingIntermediate = mca.intermediate();
        this.builder = new FileBuilder(spec, b.random, mac -> Optional.ofNullable(providedLscs.get(mac)));
        this.trace = new ServiceTrace(clock, spec.timeZone(), new TraceFiles(store.directory()));
        this.publisher = new ClusterPublisher(spec.name(), builder, clock,
                b.mirrorFiles ? Optional.of(store.directory()) : Optional.empty());
        this.servers = new ClusterServers(spec, b.group, b.tftpGroup, trace, publisher::certificateStore, clock);
        servers.capf(() -> capfKey, capf, () -> capfOptions);
        this.registrarDirectory = new Registrar();
        servers.sip(registrarDirectory);
        if (b.freshState) {
            StateStore.wipe(b.stateDirectory);
        }
        ClusterState s = initialState();
        this.state = s;
        for (String id : s.nodes.keySet()) {
            runtimes.put(id, new NodeRuntime(id));
        }
        synchronized (lock) {
            store.save(state);
            publish();
        }
    }

    /** The saved state, else one from the cluster file; either completed with what the file adds (keys, a CTL in mixed mode). */
    private ClusterState initialState() throws IOException {
        ClusterState s;
        if (store.exists()) {
            s = store.load(spec);
        } else {
            s = new ClusterState();
            s.rollback = spec.rollback();
            s.mixedMode = spec.mixedMode();
            s.manufacturingRootIn.addAll(spec.manufacturingRoots());
            s.manufacturingIntermediateIn.addAll(spec.manufacturingRoots());
        }
        s.fillMissing(spec, issuer);
        if (s.mixedMode && s.ctl == null) {
            s.ctl = builder.ctl(s, clock.instant());
        }
        return s;
    }

    /** What every node's registrar asks of the cluster. */
    private final class Registrar implements org.phoneemu.cucm.sip.RegistrarDirectory {
        @Override
        public Optional<DeviceSpec> device(String deviceName) {
            String n = deviceName.toUpperCase(java.util.Locale.ROOT);
            return n.matches("SEP[0-9A-F]{12}") ? spec.device(n.substring(3)).map(Cluster.this::withProfile) : Optional.empty();
        }

        @Override
        public boolean isDeviceCertificate(String deviceName, java.util.List<X509Certificate> chain) {
            return capf.isDeviceCertificate(deviceName, chain, org.phoneemu.cucm.config.MicTrustStore.CALLMANAGER_TRUST);
        }

        @Override
        public Optional<byte[]> servedItl(String tftpServer) {
            // Event loop: the spec is immutable and each runtime's served files are published whole; no lock.
            for (org.phoneemu.cucm.config.NodeSpec n : spec.nodes()) {
                if (n.hostname().equalsIgnoreCase(tftpServer) || n.address().getHostAddress().equals(tftpServer)) {
                    NodeRuntime rt = runtimes.get(n.hostname());
                    TftpDirectory files = rt == null ? null : rt.files;
                    return files == null ? Optional.empty() : files.get("ITLFile.tlv").map(TftpFile::bytes);
                }
            }
            return Optional.empty();
        }

        @Override
        public java.time.Duration keepAliveExpires() {
            return spec.keepAliveExpires();
        }

        @Override
        public java.time.Instant now() {
            return clock.instant();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a cluster: a cluster file (or spec), a state directory, a clock. */
    public static final class Builder {
        private ClusterSpec spec;
        private Path stateDirectory;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();
        private EventLoopGroup group;
        private EventLoopGroup tftpGroup;
        private boolean freshState;
        private boolean mirrorFiles = true;
        private org.phoneemu.core.pki.ManufacturingCa manufacturingCa;

        private Builder() {
        }

        /**
         * The manufacturing CA whose root and intermediate the cluster's MIC trust stores hold (default: the one of the
         * default key pool folder, {@code ManufacturingCaStore.shared()}, which phones built without a MIC source use).
         */
        public Builder manufacturingCa(org.phoneemu.core.pki.ManufacturingCa ca) {
            this.manufacturingCa = Objects.requireNonNull(ca);
            return this;
        }

        public Builder spec(ClusterSpec spec) {
            this.spec = Objects.requireNonNull(spec);
            return this;
        }

        /** Reads a cluster file (config/clusters/*.yaml). */
        public Builder config(Path clusterFile) throws ClusterSpecException {
            return spec(ClusterSpec.load(clusterFile));
        }

        /** Where keys, certificates and timers are kept so the cluster survives a restart (created if missing). */
        public Builder stateDirectory(Path dir) {
            this.stateDirectory = Objects.requireNonNull(dir);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /** Serve from this event loop group (e.g. a fleet's) instead of one of the cluster's own. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /**
         * Serve TFTP from this group instead (e.g. a fleet's epoll group: the TFTP servers then use Linux's native
         * datagram sockets, the other servers stay on {@link #eventLoopGroup}'s).
         */
        public Builder tftpEventLoopGroup(EventLoopGroup group) {
            this.tftpGroup = group;
            return this;
        }

        /** Forget the state directory's keys and certificates and generate everything anew (backups are kept). */
        public Builder freshState(boolean fresh) {
            this.freshState = fresh;
            return this;
        }

        /** Also write each node's served files under {@code <state>/tftp/<host>/} (default on). */
        public Builder mirrorFiles(boolean mirror) {
            this.mirrorFiles = mirror;
            return this;
        }

        /** Loads the state (or generates it: this takes a moment for 2048-bit keys) and builds every file. */
        public Cluster build() throws IOException {
            if (spec == null) {
                throw new IllegalStateException("no cluster file: call config(Path) or spec(ClusterSpec)");
            }
            if (stateDirectory == null) {
                throw new IllegalStateException("no state directory: call stateDirectory(Path)");
            }
            Files.createDirectories(stateDirectory);
            return new Cluster(this, spec);
        }
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /**
     * Binds every node's servers (TFTP, TVS on nodes running CallManager, HTTPS) and completes when they listen
     * and the files carry the bound ports. Calling it again returns the same future.
     */
    public CompletableFuture<Cluster> start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the cluster is closed");
            }
            if (started != null) {
                return started;
            }
            List<String> tvsNodes = builder.tvsNodes(state).stream().map(NodeState::id).toList();
            started = servers.start(state.nodes.values(), runtimes, tvsNodes, () -> {
                synchronized (lock) {
                    publish();
                }
                LOG.info("cluster {} started: {}", spec.name(), nodes());
            }).thenApply(v -> this);
            return started;
        }
    }

    /** Stops every server and releases the ports; waits for that unless called from an event loop. */
    @Override
    public void close() {
        CompletableFuture<Void> stopped;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            stopped = servers.stop(runtimes.values());
        }
        servers.awaitUnlessOnEventLoop(stopped);
        trace.files().close();
    }

    // ---- reading -----------------------------------------------------------------------------------------

    public ClusterSpec spec() {
        return spec;
    }

    public Clock clock() {
        return clock;
    }

    /** Every node, publisher first. */
    public List<Node> nodes() {
        synchronized (lock) {
            List<String> tvsNodes = builder.tvsNodes(state).stream().map(NodeState::id).toList();
            List<Node> out = new ArrayList<>();
            for (NodeState n : state.nodes.values()) {
                NodeRuntime rt = runtimes.get(n.id());
                Map<CertificateUnit, X509Certificate> certs = new EnumMap<>(CertificateUnit.class);
                n.own.forEach((u, km) -> certs.put(u, km.certificate()));
                FileBuilder.Ports ports = rt.ports(n);
                out.add(new Node(n.id(), n.hostname, n.domain, n.spec.address(), n == state.publisher(), n.spec.tftp(),
                        tvsNodes.contains(n.id()), ports.tftp(), ports.tvs(), ports.https(), certs));
            }
            return out;
        }
    }

    /** A node by its current host name, its FQDN or its host name in the cluster file (ignoring case). */
    public Node node(String name) {
        String id = nodeState(name).id();
        return nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    public Node publisher() {
        return nodes().get(0);
    }

    /** The files a node's TFTP service serves now (empty for a node without TFTP). */
    public TftpDirectory files(String node) {
        String id = nodeState(node).id();
        return runtimes.get(id).files;
    }

    /** One served file's bytes, e.g. {@code file("cucmpub", "ITLFile.tlv")}. */
    public Optional<byte[]> file(String node, String fileName) {
        return files(node).get(fileName).map(TftpFile::bytes);
    }

    /** What the TVS servers answer from now: one store for the cluster (each TVS node presents its own TLS certificate). */
    public org.phoneemu.cucm.tvs.CertificateStore tvsCertificateStore() {
        return publisher.certificateStore();
    }

    /**
     * The LSC the cluster's CAPF issued to a device (key and certificate), so an emulated phone can hold it as if
     * it had enrolled. Empty for devices without an LSC or with one given as a certificate file.
     */
    public Optional<KeyMaterial> deviceLsc(String mac) {
        String m = spec.device(mac).map(DeviceSpec::mac).orElse("");
        synchronized (lock) {
            return Optional.ofNullable(state.lscs.get(m));
        }
    }

    // ---- SIP ---------------------------------------------------------------------------------------------------

    /**
     * Where {@code node} serves its TFTP directory over HTTP ({@code secure} false, port 6970) or HTTPS (6971), once
     * started; empty when that side is off, the node runs no TFTP, or the cluster is not running.
     */
    public Optional<java.net.InetSocketAddress> provisioningAddress(String node, boolean secure) {
        NodeState n = nodeState(node);
        NodeRuntime rt = runtimes.get(n.id());
        int port = secure ? rt.httpsProvisioningPort : rt.httpProvisioningPort;
        return port == 0 ? Optional.empty() : Optional.of(new java.net.InetSocketAddress(n.spec.address(), port));
    }

    /**
     * Where a node's SIP registrar listens for {@code transport} (the bound port once started); empty for a node that
     * does not run CallManager (not a member of any group).
     */
    public Optional<java.net.InetSocketAddress> sipAddress(String node, org.phoneemu.core.sip.SipTransport transport) {
        NodeState n = nodeState(node);
        NodeRuntime rt = runtimes.get(n.id());
        synchronized (lock) {
            if (builder.tvsNodes(state).stream().noneMatch(t -> t.id().equals(n.id()))) {
                return Optional.empty();
            }
        }
        FileBuilder.Ports p = rt.ports(n);
        return Optional.of(new java.net.InetSocketAddress(n.spec.address(),
                transport == org.phoneemu.core.sip.SipTransport.TLS ? p.sips() : p.sip()));
    }

    /**
     * What the nodes' registrars judge a REGISTER against ({@link org.phoneemu.cucm.sip.RegistrarRules#decide}): also for
     * a prediction, which asks the same rules without a socket.
     */
    public org.phoneemu.cucm.sip.RegistrarDirectory registrarDirectory() {
        return registrarDirectory;
    }

    /** The devices registered to {@code node}'s registrar now (empty before the cluster started). */
    public java.util.List<org.phoneemu.cucm.sip.SipRegistration> sipRegistrations(String node) {
        NodeRuntime rt = runtimes.get(nodeState(node).id());
        return rt.sip == null ? java.util.List.of() : rt.sip.registrations().all();
    }

    /** What {@code node}'s registrar has counted since it started (empty before the cluster started or without CallManager). */
    public Optional<org.phoneemu.cucm.sip.RegistrarCounts> sipCounts(String node) {
        NodeRuntime rt = runtimes.get(nodeState(node).id());
        org.phoneemu.cucm.sip.SipRegistrar registrar = rt.sip;
        return registrar == null ? Optional.empty() : Optional.of(registrar.counts());
    }

    /** The last DeviceTLInfo alarm of each device that sent one to {@code node}'s registrar (docs/SIP.md §11). */
    public java.util.List<org.phoneemu.cucm.sip.TrustListReport> trustListReports(String node) {
        NodeRuntime rt = runtimes.get(nodeState(node).id());
        return rt.sip == null ? java.util.List.of() : rt.sip.registrations().trustListReports();
    }

    // ---- CAPF --------------------------------------------------------------------------------------------------

    /** Where a node's CAPF service listens (the bound port once started). */
    public java.net.InetSocketAddress capfAddress(String node) {
        NodeState n = nodeState(node);
        return new java.net.InetSocketAddress(n.spec.address(), runtimes.get(n.id()).ports(n).capf());
    }

    /** The cluster's CAPF certificate: the CAPF servers present it and it signs the LSCs they issue. */
    public X509Certificate capfCertificate() {
        return capfKey.certificate();
    }

    /** The CAPF settings as last published; lock-free, for the CAPF servers' event loops. */
    Map<String, org.phoneemu.cucm.config.CapfSettings> publishedCapfSettings() {
        return capfSettingsNow;
    }

    /** A device's CAPF settings now ("No Pending Operation" once its operation was done). */
    public Optional<org.phoneemu.cucm.config.CapfSettings> capfSettings(String mac) {
        return spec.device(mac).flatMap(d -> capf.settings(d.deviceName()));
    }

    /** The device as its security profile is now (an administrator may have changed its mode). */
    DeviceSpec withProfile(DeviceSpec d) {
        Integer mode = securityModesNow.get(d.mac());
        return mode == null ? d : d.withSecurityMode(mode);
    }

    /** A device's security mode now: 1 Non Secure, 2 Authenticated, 3 Encrypted. */
    public Optional<Integer> securityMode(String mac) {
        return spec.device(mac).map(this::withProfile).map(DeviceSpec::securityMode);
    }

    /**
     * What an administrator does on the phone's page: another Device Security Profile, here its mode (1 Non Secure, 2
     * Authenticated, 3 Encrypted). The configuration file says so from now on; the phone takes it at its next boot.
     */
    public void setSecurityMode(String mac, int mode) throws AdminException {
        DeviceSpec d = spec.device(mac).orElseThrow(() -> new AdminException("No device " + mac + " in this cluster"));
        if (mode < 1 || mode > 3) {
            throw new AdminException("A device security mode is 1 (Non Secure), 2 (Authenticated) or 3 (Encrypted), not " + mode);
        }
        change((s, resets) -> s.securityModes.put(d.mac(), mode));
    }

    /** What an administrator does on the phone's page: set the certificate operation and its settings. */
    public void setCapfSettings(String mac, org.phoneemu.cucm.config.CapfSettings settings) {
        DeviceSpec d = spec.device(mac).orElseThrow(() -> new IllegalArgumentException("no device " + mac + " in the cluster"));
        try {
            change((s, resets) -> s.capfSettings.put(d.mac(), settings));
        } catch (AdminException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The LSC the CAPF service issued to a device over the CAPF protocol, if any. */
    public Optional<X509Certificate> enrolledLsc(String mac) {
        return spec.device(mac).flatMap(d -> Optional.ofNullable(read(s -> s.capfIssued.get(d.mac()))));
    }

    /** Bounds of the CAPF servers; set before {@link #start()}. */
    public Cluster capfServerOptions(org.phoneemu.cucm.capf.CapfServerOptions options) {
        this.capfOptions = Objects.requireNonNull(options);
        return this;
    }

    /** The admin CLI of a node (what {@code admin:} on that node would do). */
    public NodeAdmin admin(String node) {
        return new NodeAdmin(this, nodeState(node).id());
    }

    /** The publisher's admin CLI. */
    public NodeAdmin admin() {
        synchronized (lock) {
            return new NodeAdmin(this, state.publisher().id());
        }
    }

    // ---- events --------------------------------------------------------------------------------------------

    /** Called (on the thread of the admin operation) each time the cluster resets its phones. */
    public Registration onResetPhones(Consumer<ResetEvent> listener) {
        resetListeners.add(listener);
        return () -> resetListeners.remove(listener);
    }

    /**
     * The trace file of a node's service in the state folder ({@code <state>/trace/<node>/tvs.txt}, {@code tftp.txt}),
     * after writing every line traced so far.
     */
    public Path traceFile(String node, ClusterService service) {
        trace.files().flush();
        return trace.files().file(node(node).id(), service);
    }

    /** Called (on server event loops: keep it quick) with each service trace line, e.g. TVS's. */
    public Registration onServiceLog(Consumer<ServiceLogLine> listener) {
        return trace.listen(listener);
    }

    // ---- changes (NodeAdmin) -------------------------------------------------------------------------------

    /** An admin operation on the state: validates first (throwing leaves everything unchanged), then mutates. */
    interface Change<T> {
        T apply(ClusterState state, List<ResetEvent> resets) throws AdminException;
    }

    <T> T change(Change<T> change) throws AdminException {
        List<ResetEvent> resets = new ArrayList<>();
        T result;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the cluster is closed");
            }
            result = change.apply(state, resets);
            try {
                store.save(state);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the cluster state in " + store.directory(), e);
            }
            publish();
        }
        for (ResetEvent e : resets) {
            LOG.info("cluster {}: reset phones ({})", spec.name(), e);
            for (Consumer<ResetEvent> l : resetListeners) {
                try {
                    l.accept(e);
                } catch (RuntimeException ex) {
                    LOG.warn("reset listener failed: {}", ex.toString());
                }
            }
        }
        return result;
    }

    /** Reads the state under the lock. */
    <T> T read(java.util.function.Function<ClusterState, T> reader) {
        synchronized (lock) {
            return reader.apply(state);
        }
    }

    NodeState nodeState(String name) {
        synchronized (lock) {
            for (NodeState n : state.nodes.values()) {
                if (n.hostname.equalsIgnoreCase(name) || n.id().equalsIgnoreCase(name) || n.fqdn().equalsIgnoreCase(name)) {
                    return n;
                }
            }
        }
        throw new IllegalArgumentException("no node '" + name + "' in cluster " + spec.name());
    }

    CertificateIssuer issuer() {
        return issuer;
    }

    FileBuilder fileBuilder() {
        return builder;
    }

    NodeRuntime runtime(String id) {
        return runtimes.get(id);
    }

    StateStore store() {
        return store;
    }

    /** Rebuilds what the servers serve from the state. Caller holds the lock. */
    private void publish() {
        publisher.publish(state, runtimes);
        capfKey = state.capf;
        capfSettingsNow = Map.copyOf(state.capfSettings);
        securityModesNow = Map.copyOf(state.securityModes);
        Map<org.phoneemu.cucm.config.MicTrustStore, List<X509Certificate>> trust = new EnumMap<>(org.phoneemu.cucm.config.MicTrustStore.class);
        for (org.phoneemu.cucm.config.MicTrustStore store : org.phoneemu.cucm.config.MicTrustStore.values()) {
            trust.put(store, List.copyOf(micTrustStore(state, store)));
        }
        micTrustNow = Map.copyOf(trust);
    }

    /**
     * A MIC trust store's certificates: the manufacturing root and intermediate while the store holds each, and the
     * certificates imported by hand into that store (TVS reads every imported certificate, whatever its store).
     */
    private List<X509Certificate> micTrustStore(ClusterState s, org.phoneemu.cucm.config.MicTrustStore store) {
        List<X509Certificate> out = new ArrayList<>();
        if (s.manufacturingRootIn.contains(store)) {
            out.add(manufacturingRoot);
        }
        if (s.manufacturingIntermediateIn.contains(store)) {
            out.add(manufacturingIntermediate);
        }
        s.imported.stream().filter(c -> s.importedInto(c, store.cliName()) && !out.contains(c)).forEach(out::add);
        return out;
    }

    /** A MIC trust store as last published; lock-free, for the registrar's and CAPF's event loops. */
    List<X509Certificate> publishedMicTrust(org.phoneemu.cucm.config.MicTrustStore store) {
        return micTrustNow.getOrDefault(store, List.of());
    }

    /** A MIC trust store's certificates now (what {@code set cert delete} can remove from it). */
    public List<X509Certificate> micTrust(org.phoneemu.cucm.config.MicTrustStore store) {
        return publishedMicTrust(store);
    }

    /** The simulated manufacturing CA's root this cluster was given. */
    public X509Certificate manufacturingRoot() {
        return manufacturingRoot;
    }

    /** The simulated manufacturing CA's intermediate (the MICs' issuer) this cluster was given. */
    public X509Certificate manufacturingIntermediate() {
        return manufacturingIntermediate;
    }

    private static Map<String, X509Certificate> readProvidedLscs(ClusterSpec spec) throws IOException {
        Map<String, X509Certificate> out = new HashMap<>();
        for (DeviceSpec d : spec.devices()) {
            if (d.lscCertificate().isPresent()) {
                try {
                    out.put(d.mac(), PemFile.read(d.lscCertificate().get()).certificate());
                } catch (PemFiles.PemException e) {
                    throw new IOException("device " + d.mac() + ": " + e.getMessage());
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Cluster[" + spec.name() + ", " + runtimes.keySet() + "]";
    }
}
