package org.phoneemu.core.trust;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.flash.Flash;
import org.phoneemu.core.https.HttpsCertificateCheck;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.core.tvs.TvsCache;

/**
 * The phone's security daemon (the real phone's {@code SECD}): its trust store, the decisions of
 * {@link TrustEngine}, {@link ConfigPolicy} and {@link HttpsCertificateCheck}, the TVS cache, and the Trust List
 * menu. It does no network I/O; it reads and writes flash only through {@link Flash}, so callers on an event loop run
 * its mutating methods on another executor. Not thread-safe: one phone, one caller at a time.
 */
public final class SecurityDaemon {
    private final Flash store;
    private final ConsoleLog log;
    private final StatusMessages status;
    private final TvsCache cache;
    private final TrustEngine engine;
    private final ConfigPolicy configPolicy;
    private final HttpsCertificateCheck https;
    /**
     * The provisioning servers' certificates this daemon allowed ({@link #checkProvisioningHttps},
     * {@link #resumeProvisioningHttps}) whose connection has not delivered a configuration yet, by identity: a download
     * carries its own connection's decision, and only one of these, used once, lets an unsigned configuration be
     * applied (a decision made up elsewhere, or one already used, does not).
     */
    private final java.util.ArrayDeque<HttpsDecision.Allowed> provisioningAllowed = new java.util.ArrayDeque<>();
    /** More allowed connections than this without a configuration: the oldest decisions are forgotten. */
    private static final int PROVISIONING_DECISIONS_KEPT = 4;
    /** Whether the caller is the daemon's owner (the phone's executor); checked only with assertions on. */
    private volatile java.util.function.BooleanSupplier owner = () -> true;
    private static final boolean CHECK_OWNER = SecurityDaemon.class.desiredAssertionStatus();

    public SecurityDaemon(Flash store, Clock clock, ConsoleLog log, StatusMessages status) {
        this(store, log, status, new TvsCache(clock));
    }

    public SecurityDaemon(Flash store, ConsoleLog log, StatusMessages status, TvsCache cache) {
        this.store = store;
        this.log = log;
        this.status = status;
        this.cache = cache;
        this.engine = new TrustEngine(log, status, cache.clock());
        this.configPolicy = new ConfigPolicy(log, status, cache.clock());
        this.https = new HttpsCertificateCheck(log, cache);
    }

    /**
     * From now on every call that reads or writes the daemon's mutable state (decisions, flash writes, the identity)
     * must come from a thread for which {@code owner} is true. With assertions on (tests) any other caller gets an
     * {@link IllegalStateException}; without, nothing is checked. The immutable reads ({@link #trust()},
     * {@link #config()}, {@link #state()}) stay open to any thread.
     */
    public void confineTo(java.util.function.BooleanSupplier owner) {
        this.owner = java.util.Objects.requireNonNull(owner, "owner");
    }

    private void owned(String what) {
        if (CHECK_OWNER && !owner.getAsBoolean()) {
            throw new IllegalStateException("SecurityDaemon." + what + " called off the phone's executor, on "
                    + Thread.currentThread().getName());
        }
    }

    /** The phone's MIC and LSC (read on the owner's thread, like every other use of the flash). */
    public Optional<PhoneIdentity> identity() {
        owned("identity");
        return store.identity();
    }

    public InstalledTrust trust() {
        return store.trust();
    }

    public TrustState state() {
        return store.trust().state();
    }

    public Optional<PhoneConfig> config() {
        return store.config();
    }

    public TvsCache tvsCache() {
        return cache;
    }

    public StatusMessages status() {
        return status;
    }

    public ConsoleLog log() {
        return log;
    }

    public Flash store() {
        return store;
    }

    /** A downloaded CTL or ITL; an installed one is written to flash before this returns. */
    public TrustListOutcome offerTrustList(TrustListKind kind, byte[] bytes, String fileName) {
        owned("offerTrustList");
        return persist(engine.offer(store.trust(), kind, bytes, fileName));
    }

    public TrustListOutcome resume(TrustListOutcome.NeedsTvs pending, TvsAnswer answer) {
        owned("resume");
        return persist(engine.resume(pending, answer));
    }

    private TrustListOutcome persist(TrustListOutcome decided) {
        TrustListOutcome outcome = decided;
        if (decided instanceof TrustListOutcome.Installed i) {
            try {
                store.install(i.list());
            } catch (IOException e) {
                log.error("SECD: flash: cannot write " + i.list().kind() + " file: " + e.getMessage());
                outcome = new TrustListOutcome.Refused("cannot write to flash: " + e.getMessage(),
                        status.add(StatusMessages.TRUST_LIST_UPDATE_FAILED));
            }
        }
        saveStatusIfAdded(decided.statusAdded().isPresent() || outcome.statusAdded().isPresent());
        return outcome;
    }

    /** The config files to request, in order (see {@link ConfigPolicy#configFileNames}). */
    public List<String> configFileNames(String mac, String tftpServer) {
        owned("configFileNames");
        return configPolicy.configFileNames(store.trust(), mac, tftpServer);
    }

    /** A downloaded config file; an applied one is written to flash before this returns. */
    public ConfigOutcome offerConfig(String fileName, byte[] bytes) {
        owned("offerConfig");
        PhoneIdentity identity = store.identity().orElseThrow(() -> new IllegalStateException("the phone has no MIC"));
        ConfigOutcome decided = configPolicy.offer(store.trust(), fileName, bytes, identity);
        return saveApplied(fileName, decided);
    }

    /** Writes an applied configuration to flash (a failed write turns it into a rejection), and any status message. */
    private ConfigOutcome saveApplied(String fileName, ConfigOutcome decided) {
        ConfigOutcome outcome = decided;
        if (decided instanceof ConfigOutcome.Applied a) {
            try {
                store.saveConfig(a.config(), a.xml());
                log.notice("SECD: " + ConfigOutcome.appliedText(a.source(), a.config().tvsServers().size()));
            } catch (IOException e) {
                log.error("SECD: flash: cannot write the configuration: " + e.getMessage());
                outcome = new ConfigOutcome.Rejected(fileName, "cannot write to flash: " + e.getMessage(), Optional.empty());
            }
        }
        saveStatusIfAdded(decided.statusAdded().isPresent());
        return outcome;
    }

    public HttpsDecision checkHttps(X509Certificate cert, String serverAddress) {
        owned("checkHttps");
        return https.check(store.trust(), cert, serverAddress);
    }

    /** The provisioning server's certificate (HTTPS 6971): records with the TFTP function, then the TVS cache. */
    public HttpsDecision checkProvisioningHttps(X509Certificate cert, String serverAddress) {
        owned("checkProvisioningHttps");
        return provisioning(https.checkProvisioning(store.trust(), cert, serverAddress));
    }

    /** Continues {@link #checkProvisioningHttps} with the TVS servers' answer. */
    public HttpsDecision resumeProvisioningHttps(HttpsDecision.NeedsTvs pending, TvsAnswer answer) {
        owned("resumeProvisioningHttps");
        return provisioning(https.resume(pending, answer));
    }

    private HttpsDecision provisioning(HttpsDecision d) {
        if (d instanceof HttpsDecision.Allowed a) {
            provisioningAllowed.addLast(a);
            while (provisioningAllowed.size() > PROVISIONING_DECISIONS_KEPT) {
                provisioningAllowed.removeFirst();
            }
        }
        return d;
    }

    /** Takes {@code decision} when it is one of this daemon's outstanding allowed decisions (compared by identity). */
    private boolean takeAllowed(Optional<HttpsDecision> decision) {
        if (decision.isEmpty() || !(decision.get() instanceof HttpsDecision.Allowed)) {
            return false;
        }
        for (java.util.Iterator<HttpsDecision.Allowed> it = provisioningAllowed.iterator(); it.hasNext(); ) {
            if (it.next() == decision.get()) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /** Whether the installed ITL (version 1.1) sends an HTTPS-provisioning model to port 6971 for its configuration. */
    public boolean configOverHttps() {
        owned("configOverHttps");
        return org.phoneemu.core.https.HttpsCertificateCheck.configOverHttps(store.trust());
    }

    /**
     * A configuration received over HTTPS 6971; {@code decision} is the one carried with the download, taken on that
     * connection's server certificate ({@link #checkProvisioningHttps}). The phone asked {@code fileName} ({@code .sgn})
     * and a server may answer with the unsigned file: that answer is applied only when {@code decision} is an allowed
     * decision of this daemon not used before; otherwise the file is judged as one from TFTP.
     */
    public ConfigOutcome offerConfigOverHttps(String fileName, byte[] bytes, Optional<HttpsDecision> decision) {
        owned("offerConfigOverHttps");
        if (!ConfigPolicy.unsignedAnswerOverHttps(fileName, bytes) || !takeAllowed(decision)) {
            // Without the connection's allowed decision the file is judged as one from TFTP: an unsigned answer to a .sgn is refused.
            return offerConfig(fileName, bytes);
        }
        ConfigOutcome decided = configPolicy.offerOverTrustedHttps(fileName, bytes);
        return saveApplied(fileName, decided);
    }

    public HttpsDecision resumeHttps(HttpsDecision.NeedsTvs pending, TvsAnswer answer) {
        owned("resumeHttps");
        return https.resume(pending, answer);
    }

    public boolean isTrustedTvs(X509Certificate cert) {
        return TvsServerAuthentication.isTrustedTvs(store.trust(), cert);
    }

    /** Settings &gt; Security &gt; Trust List &gt; erase; refused when the config's {@code settingsAccess} forbids it. */
    public MenuResult erase(TrustListKind kind) {
        owned("erase");
        boolean installed = (kind == TrustListKind.CTL ? store.trust().ctl() : store.trust().itl()).isPresent();
        if (!installed) {
            return new MenuResult.Done("no " + kind + " file installed: nothing to erase");
        }
        boolean allowed = store.config().map(c -> c.vendorConfig().settingsAccessAllowed()).orElse(true);
        if (!allowed) {
            log.error("SECD: erase " + kind + " refused: settings access is disabled by the configuration");
            return new MenuResult.Refused("settings access is disabled (settingsAccess 0): only a factory reset clears the " + kind);
        }
        try {
            store.erase(kind);
        } catch (IOException e) {
            return new MenuResult.Refused("cannot write to flash: " + e.getMessage());
        }
        log.notice("SECD: " + kind + " file erased from the Trust List menu");
        return new MenuResult.Done(kind + " erased");
    }

    /** Clears trust lists, config, LSC and status messages, and the TVS cache. */
    public MenuResult factoryReset() {
        owned("factoryReset");
        try {
            store.factoryReset();
        } catch (IOException e) {
            return new MenuResult.Refused("cannot write to flash: " + e.getMessage());
        }
        cache.clear();
        log.notice("SECD: factory reset: trust lists, configuration and LSC erased");
        return new MenuResult.Done("factory reset done");
    }

    /** A reboot empties the TVS cache; flash survives. */
    public void reboot() {
        owned("reboot");
        cache.clear();
        log.notice("SECD: reboot: TVS cache cleared");
    }

    /** Status messages go to flash only when a decision added one (messages are never edited in place). */
    private void saveStatusIfAdded(boolean added) {
        if (added) {
            saveStatus();
        }
    }

    private void saveStatus() {
        try {
            store.saveStatus();
        } catch (IOException e) {
            log.error("SECD: flash: cannot save status messages: " + e.getMessage());
        }
    }
}
