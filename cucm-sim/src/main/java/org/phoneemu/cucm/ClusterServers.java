package org.phoneemu.cucm;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.https.DirectoryServer;
import org.phoneemu.cucm.tftp.TftpServer;
import org.phoneemu.cucm.tvs.CertificateStore;
import org.phoneemu.cucm.tvs.TvsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of the cluster's servers: the event loop group (its own, or one it was given), binding every
 * node's TFTP, TVS, HTTPS and CAPF server, and closing them. What the servers serve comes from each {@link NodeRuntime}.
 * The {@link Cluster} calls these methods under its lock.
 */
final class ClusterServers {
    // Under the cluster's logger name, as before the split: log configurations filter on it.
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusterSpec spec;
    private final EventLoopGroup providedGroup;
    /** The TFTP servers' group when it is not the others' (null: the same). */
    private final EventLoopGroup tftpGroup;
    private final ServiceTrace trace;
    private final Supplier<CertificateStore> tvsStore;
    private final java.time.Clock clock;
    private EventLoopGroup group;
    private ExecutorService worker;
    private Supplier<org.phoneemu.core.pki.KeyMaterial> capfKey;
    private org.phoneemu.cucm.capf.internal.CapfAuthority capfAuthority;
    private Supplier<org.phoneemu.cucm.capf.CapfServerOptions> capfOptions;

    /** Every node also runs CAPF with this key and authority (its worker signs LSCs and records them). */
    void capf(Supplier<org.phoneemu.core.pki.KeyMaterial> key, org.phoneemu.cucm.capf.internal.CapfAuthority authority,
              Supplier<org.phoneemu.cucm.capf.CapfServerOptions> options) {
        this.capfKey = key;
        this.capfAuthority = authority;
        this.capfOptions = options;
    }

    private org.phoneemu.cucm.sip.RegistrarDirectory sipDirectory;

    /** CallManager nodes also run a SIP registrar that asks {@code directory} about devices. */
    void sip(org.phoneemu.cucm.sip.RegistrarDirectory directory) {
        this.sipDirectory = directory;
    }

    /**
     * A registrar's caps: the defaults, raised to two connections per device of the cluster (each phone kept registered
     * holds one to its CallManager and one to the backup kept warm), for all and per client address: a fleet runs every
     * phone from one address, and devices are what the cluster file lists, not what a client sends.
     */
    static org.phoneemu.cucm.net.ConnectionLimits sipLimits(ClusterSpec spec) {
        org.phoneemu.cucm.net.ConnectionLimits d = org.phoneemu.cucm.net.ConnectionLimits.defaults();
        int perDevice = 2 * spec.devices().size() + 64;
        return d.withConnections(Math.max(d.maxConnections(), perDevice), Math.max(d.maxConnectionsPerClient(), perDevice));
    }

    ClusterServers(ClusterSpec spec, EventLoopGroup providedGroup, EventLoopGroup tftpGroup, ServiceTrace trace,
                   Supplier<CertificateStore> tvsStore, java.time.Clock clock) {
        this.spec = spec;
        this.clock = clock;
        this.providedGroup = providedGroup;
        this.tftpGroup = tftpGroup;
        this.trace = trace;
        this.tvsStore = tvsStore;
    }

    /**
     * Binds the servers of {@code nodes} (TVS only on {@code tvsNodes}), records the bound ports in their runtimes,
     * then runs {@code afterBind} on a worker thread (never an event loop). On failure every server is closed.
     */
    CompletableFuture<Void> start(Collection<NodeState> nodes, Map<String, NodeRuntime> runtimes, List<String> tvsNodes,
            Runnable afterBind) {
        group = providedGroup != null ? providedGroup : new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cucm-sim-" + spec.name());
            t.setDaemon(true);
            return t;
        });
        List<CompletableFuture<?>> binds = new ArrayList<>();
        for (NodeState n : nodes) {
            NodeRuntime rt = runtimes.get(n.id());
            if (n.spec.tftp()) {
                rt.tftp = new TftpServer(tftpGroup != null ? tftpGroup : group, new InetSocketAddress(n.spec.address(), n.spec.tftpPort()), () -> rt.files,
                        TftpServer.Options.defaults(), line -> trace.trace(n.id(), ClusterService.TFTP, line));
                binds.add(rt.tftp.bind().thenAccept(a -> rt.tftpPort = a.getPort()));
            }
            if (tvsNodes.contains(n.id())) {
                rt.tvs = new TvsServer(group, new InetSocketAddress(n.spec.address(), n.spec.tvsPort()), () -> rt.tvsTls,
                        tvsStore, spec::tvsTtl, clock, line -> trace.trace(n.id(), ClusterService.TVS, line));
                binds.add(rt.tvs.bind().thenAccept(a -> rt.tvsPort = a.getPort()));
            }
            if (sipDirectory != null && tvsNodes.contains(n.id())) {
                // CallManager runs on the group's members (the same nodes as TVS); its registrar speaks with the node's
                // CallManager certificate.
                rt.sip = new org.phoneemu.cucm.sip.SipRegistrar(group, n.spec.hostname(),
                        new InetSocketAddress(n.spec.address(), n.spec.sipPort()), new InetSocketAddress(n.spec.address(), n.spec.sipsPort()),
                        () -> rt.callManagerKey, sipDirectory, line -> trace.trace(n.id(), ClusterService.CALLMANAGER, line),
                        sipLimits(spec));
                binds.add(rt.sip.bind().thenAccept(a -> {
                    rt.sipPort = a[0].getPort();
                    rt.sipsPort = a[1].getPort();
                }));
            }
            if (capfAuthority != null) {
                rt.capf = new org.phoneemu.cucm.capf.internal.CapfServer(group, new InetSocketAddress(n.spec.address(), n.spec.capfPort()),
                        capfKey, capfAuthority, worker, capfOptions.get(), line -> trace.trace(n.id(), ClusterService.CAPF, line));
                binds.add(rt.capf.bind().thenAccept(a -> rt.capfPort = a.getPort()));
            }
            if (n.spec.tftp() && (spec.provisioning().http() || spec.provisioning().https())) {
                binds.add(bindProvisioning(n, rt));
            }
            rt.https = new DirectoryServer(group, new InetSocketAddress(n.spec.address(), n.spec.httpsPort()), () -> rt.httpsTls,
                    spec::directory);
            binds.add(rt.https.bind().thenAccept(a -> rt.httpsPort = a.getPort()));
        }
        CompletableFuture<Void> started = CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new))
                .thenRunAsync(afterBind, worker);
        started.whenComplete((v, err) -> {
            if (err != null) {
                // DEBUG: the caller gets the failure with the returned future and decides what the user is told.
                LOG.debug("cluster {} failed to start: {}", spec.name(), err.getMessage());
                closeServers(runtimes.values());
            }
        });
        return started;
    }

    /** The TFTP service's HTTP (6970) and HTTPS (6971) side, traced with the TFTP service (docs/PROTOCOLS.md §4). */
    private CompletableFuture<Void> bindProvisioning(NodeState n, NodeRuntime rt) {
        rt.provisioning = new org.phoneemu.cucm.tftp.ProvisioningServer(group, () -> rt.files,
                line -> trace.trace(n.id(), ClusterService.TFTP, line));
        List<CompletableFuture<?>> binds = new ArrayList<>();
        if (spec.provisioning().http()) {
            binds.add(rt.provisioning.bindHttp(new InetSocketAddress(n.spec.address(), spec.provisioning().httpPort(n.spec)),
                    org.phoneemu.cucm.tftp.ProvisioningServer.httpLimits()).thenAccept(a -> rt.httpProvisioningPort = a.getPort()));
        }
        if (spec.provisioning().https()) {
            binds.add(rt.provisioning.bindHttps(new InetSocketAddress(n.spec.address(), spec.provisioning().httpsPort(n.spec)),
                    () -> rt.provisioningTls, org.phoneemu.cucm.net.ConnectionLimits.defaults())
                    .thenAccept(a -> rt.httpsProvisioningPort = a.getPort()));
        }
        return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new));
    }

    /** Closes every server, then the group if it is the cluster's own; completes when the ports are released. */
    CompletableFuture<Void> stop(Collection<NodeRuntime> runtimes) {
        CompletableFuture<Void> done = closeServers(runtimes);
        if (group != null && providedGroup == null) {
            EventLoopGroup g = group;
            done = done.thenCompose(v -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                g.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(x -> f.complete(null));
                return f;
            });
        }
        if (worker != null) {
            worker.shutdown();
        }
        return done;
    }

    /** Waits for {@code stopped}, unless the caller is one of the group's event loops (which must not block). */
    void awaitUnlessOnEventLoop(CompletableFuture<Void> stopped) {
        if (inEventLoop()) {
            return;
        }
        try {
            stopped.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("cluster {}: servers did not close within 10 s: {}", spec.name(), e.toString());
        }
    }

    private boolean inEventLoop() {
        EventLoopGroup g = group;
        if (g == null) {
            return false;
        }
        for (EventExecutor e : g) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private static CompletableFuture<Void> closeServers(Collection<NodeRuntime> runtimes) {
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (NodeRuntime rt : runtimes) {
            if (rt.tftp != null) {
                closes.add(rt.tftp.close());
            }
            if (rt.tvs != null) {
                closes.add(rt.tvs.close());
            }
            if (rt.https != null) {
                closes.add(rt.https.close());
            }
            if (rt.provisioning != null) {
                closes.add(rt.provisioning.close());
            }
            if (rt.capf != null) {
                closes.add(rt.capf.close());
            }
            if (rt.sip != null) {
                closes.add(rt.sip.close());
            }
        }
        return CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new));
    }
}
