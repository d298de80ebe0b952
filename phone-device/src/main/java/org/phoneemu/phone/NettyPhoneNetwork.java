package org.phoneemu.phone;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.phone.capture.PacketCapture;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.boot.BootSession;
import org.phoneemu.tftp.client.TftpClient;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tvs.client.TvsClient;
import org.phoneemu.tvs.client.TvsClientOptions;
import org.phoneemu.tvs.https.HttpsOptions;
import org.phoneemu.tvs.https.HttpsResult;
import org.phoneemu.tvs.https.PhoneHttpsClient;

/**
 * The phone's network on Netty: one TFTP client, one TVS client and one HTTPS client shared by every phone
 * of a fleet, all on one {@link EventLoopGroup}. The TFTP boot sequence and its console lines are
 * {@link BootDownloader}'s; the TVS and HTTPS clients log their own lines.
 */
public final class NettyPhoneNetwork implements PhoneNetwork, AutoCloseable {
    private final TftpClient tftp;
    private final TvsClient tvs;
    private final PhoneHttpsClient https;
    private final TftpOptions tftpOptions;
    private final org.phoneemu.capf.client.CapfClient capf;
    private final org.phoneemu.tftp.boot.HttpProvisioningClient http;
    private final org.phoneemu.sip.client.SipRegistrationClient sip;
    /** Names of CallManagers known without DNS (a lab's nodes); the rest go to {@link org.phoneemu.tls.client.Ipv4}. */
    private volatile Function<String, Optional<java.net.Inet4Address>> callManagerNames = name -> Optional.empty();

    /** The phone's TFTP settings: 1 s per packet, 4 retries, 30 s per file (docs/LIMITS.md). */
    public static final TftpOptions PHONE_TFTP = TftpOptions.defaults().withTimeout(Duration.ofSeconds(1)).withRetries(4);

    public NettyPhoneNetwork(EventLoopGroup group) {
        this(group, PHONE_TFTP, TvsClientOptions.DEFAULTS,
                HttpsOptions.DEFAULTS);
    }

    /** The phones' TFTP, TVS, HTTPS and CAPF traffic also goes into {@code capture}. */
    public NettyPhoneNetwork(EventLoopGroup group, PacketCapture capture) {
        this(group, PHONE_TFTP, TvsClientOptions.DEFAULTS, HttpsOptions.DEFAULTS, capture::tap);
    }

    /** Explicit client options, with the traffic also going into {@code capture} when one is given. */
    public NettyPhoneNetwork(EventLoopGroup group, TftpOptions tftpOptions, TvsClientOptions tvsOptions, HttpsOptions httpsOptions,
                             java.util.Optional<PacketCapture> capture) {
        this(group, tftpOptions, tvsOptions, httpsOptions, capture.<java.util.function.Consumer<io.netty.channel.Channel>>map(c -> c::tap)
                .orElse(ch -> { }));
    }

    /**
     * The phone's settings, with the TFTP reads on {@code tftpGroup} (a fleet's epoll group: Linux's native datagram
     * sockets, cheaper per packet) and everything else on {@code group}.
     */
    public NettyPhoneNetwork(EventLoopGroup group, EventLoopGroup tftpGroup, java.util.Optional<PacketCapture> capture) {
        this(group, tftpGroup, PHONE_TFTP, TvsClientOptions.DEFAULTS, HttpsOptions.DEFAULTS,
                capture.<java.util.function.Consumer<io.netty.channel.Channel>>map(c -> c::tap).orElse(ch -> { }));
    }

    public NettyPhoneNetwork(EventLoopGroup group, TftpOptions tftpOptions, TvsClientOptions tvsOptions, HttpsOptions httpsOptions) {
        this(group, tftpOptions, tvsOptions, httpsOptions, ch -> { });
    }

    /** Explicit client options, {@code tap} seeing every channel the phone opens (a capture's, or a test's). */
    public NettyPhoneNetwork(EventLoopGroup group, TftpOptions tftpOptions, TvsClientOptions tvsOptions, HttpsOptions httpsOptions,
                              java.util.function.Consumer<io.netty.channel.Channel> tap) {
        this(group, group, tftpOptions, tvsOptions, httpsOptions, tap);
    }

    private NettyPhoneNetwork(EventLoopGroup group, EventLoopGroup tftpGroup, TftpOptions tftpOptions, TvsClientOptions tvsOptions,
                              HttpsOptions httpsOptions, java.util.function.Consumer<io.netty.channel.Channel> tap) {
        this.tftp = new TftpClient(tftpGroup, tap);
        this.tvs = new TvsClient(group, tvsOptions, new ConsoleLog("tvs-client", java.time.Clock.systemUTC()), tap);
        this.https = new PhoneHttpsClient(group, httpsOptions, tap);
        this.http = new org.phoneemu.tftp.boot.HttpProvisioningClient(group, tap);
        this.tftpOptions = tftpOptions;
        // Key generation and certificate checks of CAPF sessions run on the common pool, never on the event loop;
        // the flash is written on the phone's own executor (PhoneCapf hands it in through CapfFlash).
        this.capf = new org.phoneemu.capf.client.CapfClient(group, java.util.concurrent.ForkJoinPool.commonPool(),
                org.phoneemu.capf.client.CapfClientOptions.DEFAULTS, java.time.Clock.systemUTC(), new java.security.SecureRandom(), tap);
        this.sip = new org.phoneemu.sip.client.SipRegistrationClient(group, org.phoneemu.sip.client.SipClientOptions.DEFAULTS,
                java.time.Clock.systemUTC(), this::resolveCallManager, tap);
    }

    /**
     * CallManager names this network resolves without DNS (cucm-sim writes its nodes' FQDNs into the configurations, and a
     * lab has no DNS for them); names it does not know are looked up as the phone does. Set before phones register.
     */
    public NettyPhoneNetwork callManagerNames(Function<String, Optional<java.net.Inet4Address>> names) {
        this.callManagerNames = java.util.Objects.requireNonNull(names, "names");
        return this;
    }

    /**
     * Every TVS, CAPF and SIP connection from now on starts through {@code limiter}, per server address (a fleet's
     * {@code --max-in-flight-per-server}; TFTP reads take theirs through {@link #bootSession}). Set before phones boot.
     */
    /** At most {@code n} SIP connections kept open by the phones kept registered (docs/SIP.md §3; default 200). */
    public NettyPhoneNetwork keepSipConnectionsAtMost(int n) {
        sip.keepConnectionsAtMost(n);
        return this;
    }

    /** The SIP connections the phones keep open now. */
    public int keptSipConnections() {
        return sip.keptConnections();
    }

    public NettyPhoneNetwork limitConnections(org.phoneemu.net.ServerLimiter limiter) {
        tvs.limitConnections(limiter);
        capf.limitConnections(limiter);
        sip.limitConnections(limiter);
        return this;
    }

    private CompletableFuture<java.net.Inet4Address> resolveCallManager(String name) {
        Optional<java.net.Inet4Address> known = callManagerNames.apply(name);
        return known.isPresent() ? CompletableFuture.completedFuture(known.get()) : org.phoneemu.tls.client.Ipv4.resolve(name);
    }

    @Override
    public CompletableFuture<org.phoneemu.core.sip.RegistrationOutcome> register(RegisterRequest request, ConsoleLog log) {
        org.phoneemu.sip.client.RegisterIdentity identity = new org.phoneemu.sip.client.RegisterIdentity(
                new org.phoneemu.core.device.Mac(request.mac()), new org.phoneemu.core.device.PhoneModel(request.model()), FIRMWARE);
        return sip.register(new org.phoneemu.sip.client.SipRegistrationClient.Request(request.targets(), identity,
                request.clientCertificate(), request.trustedCallManager(), log, request.trustLists(), request.mode(), request.digest(),
                request.connections(), request.lostConnection()));
    }

    /** The firmware version the REGISTER's User-Agent names (docs/SIP.md §4: the traces' 9.4.2; the phone's load is not modelled). */
    public static final String FIRMWARE = "9.4.2";

    @Override
    public void clientCertificateReplaced(KeyMaterial identity) {
        // A kept SIP connection authenticated the phone by that certificate: none may carry another REGISTER.
        sip.clientCertificateReplaced(identity);
    }

    @Override
    public CompletableFuture<org.phoneemu.capf.api.CapfOutcome> capf(org.phoneemu.capf.api.CapfRequest request,
            org.phoneemu.capf.api.CapfFlash flash, ConsoleLog log, java.time.Clock phoneClock) {
        return capf.run(request, flash, log, phoneClock);
    }

    @Override
    public BootSession tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log) {
        return new BootDownloader(mac, servers, log, tftp, tftpOptions, 27);
    }

    @Override
    public BootSession bootSession(String mac, List<InetSocketAddress> servers, ConsoleLog log, Provisioning provisioning) {
        return bootSession(mac, servers, log, provisioning, java.util.function.UnaryOperator.identity());
    }

    /** {@link #bootSession}, its TFTP reads through {@code through} (a fleet's cap on reads in flight per server). */
    public BootSession bootSession(String mac, List<InetSocketAddress> servers, ConsoleLog log, Provisioning provisioning,
                                   java.util.function.UnaryOperator<org.phoneemu.tftp.client.TftpReads> through) {
        return bootSession(mac, servers, log, provisioning, through, java.util.function.UnaryOperator.identity());
    }

    /**
     * {@link #bootSession}, its TFTP reads through {@code through} and its HTTP and HTTPS downloads through
     * {@code httpThrough} (a fleet's cap on requests in flight per server).
     */
    public BootSession bootSession(String mac, List<InetSocketAddress> servers, ConsoleLog log, Provisioning provisioning,
                                   java.util.function.UnaryOperator<org.phoneemu.tftp.client.TftpReads> through,
                                   java.util.function.UnaryOperator<org.phoneemu.tftp.boot.HttpReads> httpThrough) {
        BootDownloader tftpSession = new BootDownloader(mac, servers, log, through.apply(tftp), tftpOptions, 27);
        if (!provisioning.path().usesHttp() || servers.isEmpty()) {
            return tftpSession;
        }
        return new org.phoneemu.tftp.boot.ProvisioningSession(tftpSession, servers, log,
                httpThrough.apply(new ProvisioningReads(http, https, log)), provisioning.httpPort(), provisioning.httpsPort());
    }

    @Override
    public CompletableFuture<TvsReply> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                                 InstalledTrust trustedLists, Optional<KeyMaterial> clientCertificate,
                                                 ConsoleLog log) {
        return PhoneTvs.verify(tvs, servers, certificate, deviceName, trustedLists, clientCertificate, log);
    }

    @Override
    public CompletableFuture<HttpsResult> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log) {
        return https.get(url, (cert, server) -> decider.apply(cert), log);
    }

    @Override
    public void close() {
        sip.releaseAll(); // the phones' own closing: no failover starts while the lab stops
        tvs.close();
        https.close();
    }
}
