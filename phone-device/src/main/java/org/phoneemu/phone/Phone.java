package org.phoneemu.phone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.https.DirectoryMenu;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.text.FailureText;
import org.phoneemu.core.trust.ConfigOutcome;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trust.MenuResult;
import org.phoneemu.core.trust.SecurityDaemon;
import org.phoneemu.core.trust.TrustListOutcome;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.core.tvs.TvsServerAnswer;
import org.phoneemu.tvs.https.HttpsResult;
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.boot.BootSession;

/**
 * One emulated phone: a MAC, a model, its TFTP servers (the DHCP option 150 stand-in), its flash directory and
 * its security daemon. It boots like a real phone (trust lists, then the config the trust engine asks for),
 * serves presses of Directories/Services through the HTTPS check, and the Trust List menu.
 *
 * <p>Its work runs one task at a time on its own serial executor (a shared pool, never a Netty event loop,
 * because the trust store writes to disk); network I/O is asynchronous on the shared Netty group.
 */
public final class Phone {
    /** The real phone's configuration download limit ({@code max size = 550001}). */
    public static final long CONFIG_MAX_SIZE = PhoneConfigParser.MAX_SIZE;
    /** Trust lists are at most 64 KB. */
    public static final long TRUST_LIST_MAX_SIZE = TrustList.MAX_SIZE;

    private final String mac;
    private final String model;
    /** Changed only by {@link #useTftpServers} (a phone moved to another cluster), between boots. */
    private volatile List<InetSocketAddress> tftpServers;
    private final PhoneNetwork network;
    private final SerialExecutor serial;
    private final ConsoleLog log;
    private final StatusMessages status;
    private final SecurityDaemon secd;
    private volatile BootSession tftp;
    private final PhoneCapf capf;
    private final Provisioning provisioning;
    private final PhoneSip sip;
    private int tvsContacts;
    /** TVS questions asked and not answered yet (a live view's "waiting on TVS"). */
    private final java.util.concurrent.atomic.AtomicInteger tvsInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private BootReport lastBoot;
    /** The boot in progress: its decisions so far (on the phone's executor only). */
    private BootSteps thisBoot = new BootSteps();
    /** Steps finished on the serial executor; written last in each step, read first by {@link #view}. */
    private volatile long steps;

    /** {@code flash} null: the flash is held in memory only ({@link TrustStore#inMemory}), for large fleets. */
    Phone(String mac, String model, List<InetSocketAddress> tftpServers, Path flash, Clock clock, PhoneNetwork network,
          Provisioning provisioning, Executor pool, Supplier<KeyMaterial> newMic, Optional<KeyMaterial> lsc, int consoleCapacity,
          FileOps flashOps) throws IOException {
        this.mac = Mac.parse(mac).orElseThrow(() -> new IllegalArgumentException("MAC must be 12 hex digits, not '" + mac + "'")).hex();
        this.model = model;
        this.tftpServers = List.copyOf(tftpServers);
        this.network = network;
        this.serial = new SerialExecutor(pool);
        this.log = new ConsoleLog(name(), clock, consoleCapacity);
        this.status = new StatusMessages(clock);
        TrustStore store = flash == null ? TrustStore.inMemory(name(), clock, log, status)
                : TrustStore.open(flash, flashOps, clock, log, status);
        PhoneIdentity id = store.identity().orElse(null);
        // An LSC given to the builder replaces the one on flash; otherwise the flash's LSC (placed there by a user
        // or an earlier run) is kept, even when the MIC is generated now.
        Optional<KeyMaterial> keptLsc = lsc.isPresent() ? lsc : store.lscOnFlash();
        if (id == null) {
            store.saveIdentity(new PhoneIdentity(newMic.get(), keptLsc));
        } else if (!sameCertificate(id.lsc(), keptLsc)) {
            store.saveIdentity(new PhoneIdentity(id.mic(), keptLsc));
        }
        this.secd = new SecurityDaemon(store, clock, log, status);
        // From here on the daemon's state is the executor's alone; with assertions on (tests), a call from another thread fails.
        secd.confineTo(serial::runsHere);
        this.provisioning = provisioning;
        this.tftp = network.bootSession(this.mac, this.tftpServers, log, provisioning);
        this.capf = new PhoneCapf("SEP" + this.mac, secd, log, network, clock, serial);
        // The registration's last resort is the TFTP server the phone uses now (a moved phone falls back to its new cluster).
        this.sip = new PhoneSip(this.mac, model, this::firstTftpHost, secd, log, network, clock, serial);
    }

    /** The CAPF authentication string as typed on the phone (Settings > Security Configuration > LSC), for the next boot. */
    public void enterCapfAuthString(String digits) {
        capf.enterAuthString(digits);
    }

    private static boolean sameCertificate(Optional<KeyMaterial> a, Optional<KeyMaterial> b) {
        return a.map(KeyMaterial::certificate).equals(b.map(KeyMaterial::certificate));
    }

    public static PhoneBuilder builder() {
        return new PhoneBuilder();
    }

    public String mac() {
        return mac;
    }

    public String name() {
        return new Mac(mac).deviceName();
    }

    public String model() {
        return model;
    }

    /** The TFTP servers this phone tries, in order (its DHCP option 150). */
    public List<InetSocketAddress> tftpServers() {
        return tftpServers;
    }

    /**
     * A new DHCP option 150: the phone is pointed at other TFTP servers (another cluster's, in a migration). Its flash
     * is kept; the next boot downloads from these servers. Call it between boots.
     */
    public CompletableFuture<Void> useTftpServers(List<InetSocketAddress> servers) {
        List<InetSocketAddress> copy = List.copyOf(servers);
        return onPhone(() -> {
            tftpServers = copy;
            tftp = network.bootSession(mac, copy, log, provisioning);
            return null;
        });
    }

    private String firstTftpHost() {
        List<InetSocketAddress> servers = tftpServers;
        if (servers.isEmpty()) {
            return "";
        }
        InetSocketAddress first = servers.get(0);
        return first.getAddress() != null ? first.getAddress().getHostAddress() : first.getHostString();
    }

    /** The device name TVS expects: {@code CP-<model>-SEP<MAC>}. */
    public String deviceName() {
        return new Mac(mac).tvsDeviceName(model);
    }

    public ConsoleLog consoleLog() {
        return log;
    }

    public StatusMessages statusMessages() {
        return status;
    }

    public TrustState trustState() {
        return secd.state();
    }

    public SecurityDaemon securityDaemon() {
        return secd;
    }

    public Optional<PhoneConfig> config() {
        return secd.config();
    }

    /** True while the phone waits for a TVS answer (a boot's new trust list, or an HTTPS server's certificate). */
    public boolean waitingOnTvs() {
        return tvsInFlight.get() > 0;
    }

    /** How many times this phone has contacted TVS since it was created. */
    public synchronized int tvsContacts() {
        return tvsContacts;
    }

    public Optional<BootReport> lastBoot() {
        return Optional.ofNullable(lastBoot);
    }

    /** Reboots (TVS cache emptied, flash kept) and runs the boot downloads. */
    public CompletableFuture<BootReport> boot() {
        return onPhone(() -> {
            secd.reboot();
            tftp.newBoot();
            thisBoot = new BootSteps();
            return null;
        }).thenCompose(v -> tftpServers.isEmpty() ? CompletableFuture.<Void>completedFuture(null) : fetchTrustLists())
                .thenCompose(v -> downloadConfig().thenCompose(applied -> capf.afterConfig(applied, this::downloadConfig)))
                .thenCompose(applied -> sip.afterConfig(applied.isPresent(), this::fetchTrustLists)
                        .thenCompose(step -> onPhone(() -> thisBoot.registration = step)))
                .handle((applied, e) -> e == null ? Optional.<String>empty() : Optional.of(FailureText.of(e)))
                .thenApplyAsync(error -> {
                    try {
                        BootReport r = report(error);
                        lastBoot = r;
                        return r;
                    } finally {
                        steps++;
                    }
                }, serial);
    }

    /** The boot's trust-list downloads, each list offered (also the secure mode's tries before registering). */
    private CompletableFuture<Void> fetchTrustLists() {
        return tftp.fetchTrustLists().thenCompose(t ->
                offerTrustList(TrustListKind.CTL, t.ctl()).thenCompose(x -> offerTrustList(TrustListKind.ITL, t.itl())));
    }

    /** Registration after a verified config (docs/SIP.md); off unless the builder turned it on ({@link PhoneBuilder#registers}). */
    void registers(boolean on) {
        sip.enable(on);
    }

    /** Whether a registration sends the DeviceTLInfo alarm ({@link PhoneBuilder#reportsTrustLists}). */
    void reportsTrustLists(boolean on) {
        sip.reportsTrustLists(on);
    }

    /** The phone's last registration (the boot's, or a later re-registration's); readable from any thread. */
    public Optional<RegistrationStep> registration() {
        return sip.current();
    }

    /**
     * Whether the phone keeps its registration's connection open and renews on it, with the next CallManager of its group
     * kept warm (docs/SIP.md §3): what a phone left running does ({@link RegistrationKeeper}). Off by default, so a boot
     * that ends leaves no connection behind. Takes effect at the next registration.
     */
    public Phone keepsSipConnections(boolean on) {
        sip.keepsConnections(on);
        return this;
    }

    /** {@code listener} hears when {@link #reRegisterAt()} may have changed (a kept connection lost, a registration's end); null: none. */
    void whenRegistrationChanges(Runnable listener) {
        sip.whenRegistrationChanges(listener);
    }

    /** Whether a registration is on its way now (its end is heard by the listener above). */
    boolean registering() {
        return sip.registering();
    }

    /** When the phone sends its next REGISTER (on its clock), while it is registered. */
    public Optional<java.time.Instant> reRegisterAt() {
        return sip.reRegisterAt();
    }

    /**
     * Re-registers if the phone's clock has reached {@link #reRegisterAt()} (a CallManager that stopped answering fails
     * over to the next of the group); completes empty when nothing was due. The caller drives the clock: a virtual one in
     * tests and scenarios, or a timer.
     */
    public CompletableFuture<Optional<RegistrationStep>> keepRegistered() {
        return sip.keepRegistered().thenCompose(step -> onPhone(() -> step));
    }

    /** The current boot's decisions, as values; written and read on the phone's executor only. */
    private static final class BootSteps {
        final List<TrustListStep> trustLists = new ArrayList<>();
        Optional<ConfigStep> config = Optional.empty();
        final List<BootReport.Fetched> files = new ArrayList<>();
        Optional<RegistrationStep> registration = Optional.empty();
    }

    /** The TFTP servers as a user wrote them ({@code 127.0.0.1:69, 127.0.0.3:69}), not as {@code [/127.0.0.1:69]}. */
    private String serversText() {
        return tftpServers.stream().map(a -> (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The boot's report, from the decisions it recorded; on the phone's executor. */
    private BootReport report(Optional<String> failure) {
        confined("report");
        BootSteps done = thisBoot;
        boolean failed = failure.isEmpty() && done.trustLists.stream().anyMatch(s -> s instanceof TrustListStep.Refused);
        Optional<String> applied = failure.isPresent() ? Optional.empty()
                : done.config.filter(c -> c instanceof ConfigStep.Applied).map(c -> ((ConfigStep.Applied) c).source());
        Optional<String> error = failure;
        if (error.isEmpty() && tftp.unreachable()) {
            error = Optional.of("no answer from the TFTP server(s) " + serversText());
        } else if (error.isEmpty() && tftp.tooSlow()) {
            error = Optional.of("TFTP server(s) " + serversText() + " too slow: a file did not arrive within its "
                    + tftp.deadline().toSeconds() + " s deadline");
        } else if (error.isEmpty() && tftpServers.isEmpty()) {
            error = Optional.of("no TFTP server configured");
        }
        Optional<TrustList> itl = secd.trust().itl();
        return new BootReport(mac, secd.state(),
                itl.map(l -> l.file().signer().name()),
                itl.map(l -> l.file().md5Hex()),
                secd.trust().ctl().map(l -> l.file().md5Hex()),
                failed, applied.isPresent(), applied,
                status.last().map(StatusMessages.Message::text), error, done.trustLists, done.config, done.files, done.registration);
    }

    /** Offers one downloaded trust list and records the decision as a step of this boot. */
    private CompletableFuture<Void> offerTrustList(TrustListKind kind, BootDownloader.Download download) {
        Optional<byte[]> data = download.data();
        if (data.isEmpty()) {
            return onPhone(() -> {
                TrustListStep step = new TrustListStep.NotServed(kind, download.name());
                log.notice("SECD: tlRequestFile: " + step.text());
                thisBoot.trustLists.add(step);
                return null;
            });
        }
        return this.<TrustListOutcome>onPhone(() -> {
            thisBoot.files.add(BootReport.Fetched.of(download));
            TrustListOutcome outcome = secd.offerTrustList(kind, data.get(), download.name());
            if (!(outcome instanceof TrustListOutcome.NeedsTvs)) {
                thisBoot.trustLists.add(TrustListStep.of(kind, download.name(), outcome, Optional.empty()));
            }
            return outcome;
        }).thenCompose(outcome -> {
            if (!(outcome instanceof TrustListOutcome.NeedsTvs ask)) {
                return CompletableFuture.completedFuture(null);
            }
            return askTvs(ask.signerCertificate(), ask::against).thenCompose(reply -> onPhone(() -> {
                TrustListStep.TvsAsked asked = new TrustListStep.TvsAsked(ask.candidate().file().signer().name(), reply.asked());
                thisBoot.trustLists.add(TrustListStep.of(kind, download.name(), secd.resume(ask, reply.answer()), Optional.of(asked)));
                return null;
            }));
        });
    }

    /** The TVS servers to ask, the trust lists that judge them and the phone's identity, all read on the phone's executor. */
    private record TvsAsk(List<TvsServerEntry> servers, InstalledTrust lists, PhoneIdentity identity) {
    }

    /**
     * Asks TVS about {@code cert}. The TVS servers' own certificates are checked on a Netty thread against
     * {@code lists}, an immutable snapshot taken here on the phone's executor, never against the live store.
     */
    private CompletableFuture<TvsReply> askTvs(X509Certificate cert, Supplier<InstalledTrust> lists) {
        CompletableFuture<TvsAsk> ask = onPhone(() -> {
            List<TvsServerEntry> list = secd.config().map(PhoneConfig::tvsServers).orElse(List.of());
            if (!list.isEmpty()) {
                synchronized (this) {
                    tvsContacts++;
                }
            }
            return new TvsAsk(list, lists.get(), secd.identity().orElseThrow());
        });
        return ask.thenCompose(a -> {
            List<TvsServerEntry> list = a.servers();
            if (list.isEmpty()) {
                return onPhone(() -> {
                    log.error("SECD: EROR:processTvsClntReq: no TVS server in the configuration");
                    return TvsReply.unasked(new TvsAnswer.Unreachable("no TVS server in the configuration"));
                });
            }
            tvsInFlight.incrementAndGet();
            CompletableFuture<TvsReply> answer;
            try {
                java.time.Instant now = log.clock().instant();
                a.identity().expiryNote(now).ifPresent(log::warn);
                answer = network.tvsVerify(list, cert, deviceName(), a.lists(), Optional.of(a.identity().active(now)), log);
            } catch (RuntimeException e) {
                tvsInFlight.decrementAndGet();
                throw e;
            }
            return answer.whenComplete((x, e) -> tvsInFlight.decrementAndGet());
        });
    }

    /** Tries each name in order until one is received (a missing file moves to the next name); empty when none was. */
    private CompletableFuture<Optional<BootDownloader.Download>> fetchFirst(List<String> names, long maxSize) {
        return fetchFirst(names, maxSize, Optional.empty());
    }

    /** As above; with {@code httpsJudge} each name is asked over HTTPS 6971 first (docs/PROTOCOLS.md §4). */
    private CompletableFuture<Optional<BootDownloader.Download>> fetchFirst(List<String> names, long maxSize,
            Optional<java.util.function.Function<X509Certificate, CompletableFuture<HttpsDecision>>> httpsJudge) {
        if (names.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return tftp.fetchConfig(names.get(0), maxSize, httpsJudge).thenCompose(d -> {
            if (d.received()) {
                return CompletableFuture.completedFuture(Optional.of(d));
            }
            if (d.notFound()) {
                return fetchFirst(names.subList(1, names.size()), maxSize, httpsJudge);
            }
            return CompletableFuture.completedFuture(Optional.<BootDownloader.Download>empty());
        });
    }

    /** The config download; completes with the applied source, or empty when nothing was applied. */
    private CompletableFuture<Optional<String>> downloadConfig() {
        if (tftpServers.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String server = tftpServers.get(0).getAddress() != null ? tftpServers.get(0).getAddress().getHostAddress()
                : tftpServers.get(0).getHostString();
        return onPhone(() -> new ConfigAsk(secd.configFileNames(mac, server), provisioningJudge(server)))
                .thenCompose(ask -> fetchFirst(ask.names(), CONFIG_MAX_SIZE, ask.httpsJudge())).thenCompose(found -> {
            if (found.isEmpty()) {
                return notDownloaded(Optional.empty());
            }
            return offerConfig(found.get());
        });
    }

    /** The config names to ask for, and the judge of the HTTPS provisioning server when 6971 is to be tried. */
    private record ConfigAsk(List<String> names,
                             Optional<java.util.function.Function<X509Certificate, CompletableFuture<HttpsDecision>>> httpsJudge) {
    }

    /**
     * On the phone's executor: a model that provisions over HTTPS, with an ITL of version 1.1, asks 6971 first; the
     * server's certificate is judged by a TFTP-function record, the TVS cache, then TVS (docs/PROTOCOLS.md §4).
     */
    private Optional<java.util.function.Function<X509Certificate, CompletableFuture<HttpsDecision>>> provisioningJudge(String server) {
        if (provisioning.path() != org.phoneemu.core.device.ProvisioningPath.HTTPS || !secd.configOverHttps()) {
            return Optional.empty();
        }
        return Optional.of(cert -> onPhone(() -> secd.checkProvisioningHttps(cert, server)).thenCompose(d -> {
            if (d instanceof HttpsDecision.NeedsTvs ask) {
                return askTvs(cert, secd::trust).thenCompose(reply -> onPhone(() -> secd.resumeProvisioningHttps(ask, reply.answer())));
            }
            return CompletableFuture.completedFuture(d);
        }));
    }

    private CompletableFuture<Optional<String>> notDownloaded(Optional<String> encryptedFile) {
        return onPhone(() -> {
            ConfigStep step = new ConfigStep.NotDownloaded(encryptedFile);
            log.error(step.text());
            thisBoot.config = Optional.of(step);
            return Optional.<String>empty();
        });
    }

    private CompletableFuture<Optional<String>> offerConfig(BootDownloader.Download file) {
        return onPhone(() -> {
            thisBoot.files.add(BootReport.Fetched.of(file));
            ConfigOutcome outcome = file.transport() == org.phoneemu.tftp.boot.Transport.HTTPS
                    ? secd.offerConfigOverHttps(file.name(), file.data().orElseThrow(), file.tlsDecision())
                    : secd.offerConfig(file.name(), file.data().orElseThrow());
            if (outcome instanceof ConfigOutcome.Applied a) {
                thisBoot.config = Optional.of(new ConfigStep.Applied(a.source(), a.config().tvsServers().size()));
            } else if (outcome instanceof ConfigOutcome.Rejected r) {
                thisBoot.config = Optional.of(new ConfigStep.Rejected(r.fileName(), r.reason()));
            }
            return outcome;
        }).thenCompose(outcome -> {
            if (outcome instanceof ConfigOutcome.FetchEncrypted f) {
                return fetchFirst(List.of(f.fileName()), CONFIG_MAX_SIZE).thenCompose(enc -> enc.isPresent()
                        ? offerConfig(enc.get())
                        : notDownloaded(Optional.of(f.fileName())));
            }
            if (outcome instanceof ConfigOutcome.Applied a) {
                return CompletableFuture.completedFuture(Optional.of(a.source()));
            }
            return CompletableFuture.completedFuture(Optional.<String>empty());
        });
    }

    /** The phone's decision on an HTTPS server's certificate, with each TVS server asked for it. */
    private record HttpsDecided(HttpsDecision decision, List<TvsServerAnswer> tvs) {
    }

    /**
     * Presses Directories or Services: the HTTPS check, with TVS when needed. Directories then opens the menu's
     * first item, the Corporate Directory's search page, with the phone's name (the seeds' {@code httpSucceed} line).
     */
    public CompletableFuture<PressResult> press(Button button) {
        return onPhone(() -> secd.config().flatMap(c -> button == Button.DIRECTORIES ? c.directoryUrl() : c.servicesUrl()))
                .thenCompose(url -> {
                    if (url.isEmpty()) {
                        return CompletableFuture.completedFuture((PressResult) new PressResult.Failed("no " + button.name().toLowerCase(Locale.ROOT) + " URL configured"));
                    }
                    if (button == Button.DIRECTORIES) {
                        // The phone's Java application announces the directory it opens (seed 001/003).
                        log.notice("JVM: Startup Module Loader|cip.dir.TandunDirectories:? - Directory url " + url.get());
                    }
                    CompletableFuture<PressResult> page = fetchPage(URI.create(url.get()));
                    return button == Button.DIRECTORIES ? page.thenCompose(this::openFirstItem) : page;
                });
    }

    /** The menu's first item fetched with the phone's name; the result keeps how the menu's server was trusted. */
    private CompletableFuture<PressResult> openFirstItem(PressResult menu) {
        if (!(menu instanceof PressResult.Shown m) || m.status() != 200) {
            return CompletableFuture.completedFuture(menu);
        }
        return DirectoryMenu.firstItem(m.body())
                .map(item -> fetchPage(DirectoryMenu.withName(item, name())).thenApply(r -> r instanceof PressResult.Shown s
                        ? (PressResult) new PressResult.Shown(s.url(), s.status(), s.body(), m.via(), m.tvs()) : r))
                .orElseGet(() -> CompletableFuture.completedFuture(menu));
    }

    private CompletableFuture<PressResult> fetchPage(URI uri) {
        // Completed by the decider before the client hears its yes or no, so before the result below.
        CompletableFuture<HttpsDecided> decided = new CompletableFuture<>();
        return network.httpsGet(uri, cert -> decide(cert, uri.getHost()).thenApply(d -> {
            decided.complete(d);
            return d.decision() instanceof HttpsDecision.Allowed;
        }), log).handle((r, err) -> pressResult(uri.toString(), r, err, decided.getNow(null)));
    }

    private PressResult pressResult(String url, HttpsResult r, Throwable err, HttpsDecided decided) {
        List<TvsServerAnswer> tvs = decided == null ? List.of() : decided.tvs();
        if (err != null) {
            return new PressResult.Failed(String.valueOf(err.getMessage()), tvs);
        }
        if (r instanceof HttpsResult.Ok ok && decided != null && decided.decision() instanceof HttpsDecision.Allowed a) {
            // The seed phone logs a successful page load at ERR level.
            log.error("JVM: Startup Module Loader|cip.http.ae:? - listener.httpSucceed: " + url);
            return new PressResult.Shown(url, ok.status(), ok.bodyText(), a.source(), tvs);
        }
        if (r instanceof HttpsResult.Refused) {
            return new PressResult.HostNotFound(url, HttpsResult.Refused.UI_MESSAGE, tvs);
        }
        if (r instanceof HttpsResult.Failed f) {
            return new PressResult.Failed(f.reason() + ": " + f.message(), tvs);
        }
        return new PressResult.Failed("the page came without the phone's certificate decision", tvs);
    }

    private CompletableFuture<HttpsDecided> decide(X509Certificate cert, String host) {
        return onPhone(() -> secd.checkHttps(cert, host)).thenCompose(d -> {
            if (d instanceof HttpsDecision.NeedsTvs ask) {
                return askTvs(cert, secd::trust).thenCompose(reply -> onPhone(() -> new HttpsDecided(secd.resumeHttps(ask, reply.answer()), reply.asked())));
            }
            return CompletableFuture.completedFuture(new HttpsDecided(d, List.of()));
        });
    }

    public CompletableFuture<MenuResult> eraseItl() {
        return onPhone(() -> secd.erase(TrustListKind.ITL));
    }

    public CompletableFuture<MenuResult> eraseCtl() {
        return onPhone(() -> secd.erase(TrustListKind.CTL));
    }

    public CompletableFuture<MenuResult> factoryReset() {
        return onPhone(secd::factoryReset);
    }

    /**
     * Reads the phone's state from any thread without waiting for its executor (web pages, dashboards): the read
     * sees every step the executor has finished. The trust lists, config and reports it reads are immutable, so a
     * step in progress is seen either before or after, never half-done.
     */
    public <T> T view(java.util.function.Function<Phone, T> read) {
        if (steps < 0) { // the volatile read that makes the finished steps' writes visible to this thread
            throw new IllegalStateException("step counter overflow");
        }
        return read.apply(this);
    }

    /** With assertions on (tests): fails unless called from one of this phone's executor tasks. */
    private void confined(String what) {
        if (CHECK_THREADS && !serial.runsHere()) {
            throw new IllegalStateException("Phone." + what + " ran off the phone's executor, on " + Thread.currentThread().getName());
        }
    }

    private static final boolean CHECK_THREADS = Phone.class.desiredAssertionStatus();

    private <T> CompletableFuture<T> onPhone(Supplier<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } finally {
                steps++; // one writer at a time: the serial executor
            }
        }, serial);
    }
}
