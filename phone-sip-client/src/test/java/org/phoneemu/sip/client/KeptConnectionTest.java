package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.sip.SipRegistrar;

/**
 * The registration's connection kept open and renewed on, the backup CallManager kept warm with a keep-alive
 * REGISTER, and the failover to it over that warm connection when the primary's registrar dies (docs/SIP.md §3).
 * Loopback: the simulated cluster's subscriber registrar, and a primary registrar of the test's own that it kills.
 */
class KeptConnectionTest {
    static final String SECURE = "001122334466";
    static final String YAML = """
            cluster:
              name: keeptest
              domain: lab.example
              keySizes: {default: 1024}
              mixedMode: true
              ports: {tftp: 0, tvs: 0, https: 0}
            nodes:
              - {hostname: pub, address: 127.0.0.1}
              - {hostname: sub, address: 127.0.0.2}
            groups:
              - {name: G1, members: [pub, sub]}
            devices:
              - {mac: "%s", model: 7970, group: G1, lsc: true, securityMode: 3}
            """.formatted(SECURE);
    /** A peer in the cluster's trace: {@code SIP REGISTER from /127.0.0.1:40312 over TLS: ...}. */
    static final Pattern PEER = Pattern.compile("SIP REGISTER from (/[0-9.]+:[0-9]+) ");

    @TempDir
    static Path state;
    static EventLoopGroup group;
    static Cluster cluster;
    static InstalledTrust trust;
    static final List<String> trace = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(state).clock(new VirtualClock(
                java.time.Instant.now())).freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        trust = new InstalledTrust(Optional.of(TrustList.parse(cluster.file("pub", "CTLFile.tlv").orElseThrow(), TrustListKind.CTL)),
                Optional.empty());
        cluster.onServiceLog(l -> trace.add(l.text()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static CallManagerTarget node(String name) {
        return new CallManagerTarget(0, name + ".lab.example", cluster.sipAddress(name, SipTransport.TLS).orElseThrow().getPort(),
                SipTransport.TLS);
    }

    static Function<String, CompletableFuture<Inet4Address>> names() {
        return name -> {
            try {
                return CompletableFuture.completedFuture((Inet4Address) InetAddress.getByName(
                        name.startsWith("pub") ? "127.0.0.1" : name.startsWith("sub") ? "127.0.0.2" : "127.0.0.3"));
            } catch (java.net.UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    static SipRegistrationClient.Request request(List<CallManagerTarget> targets, java.util.function.Predicate<java.security.cert.X509Certificate> trusted,
                                                 ConsoleLog log, ConnectionUse use) {
        return new SipRegistrationClient.Request(targets, new RegisterIdentity(new Mac(SECURE), new PhoneModel("7970"), "9.4.2"),
                cluster.deviceLsc(SECURE), trusted, log, Optional.empty(), use);
    }

    /** The peers (address:port) of the trace lines that contain {@code what}, in order. */
    static List<String> peers(String what) {
        return trace.stream().filter(l -> l.contains(what)).map(l -> {
            Matcher m = PEER.matcher(l);
            return m.find() ? m.group(1) : "?";
        }).toList();
    }

    @Test
    void theRenewalGoesOnTheRegistrationsConnectionAndTheBackupIsKeptWarmWithAKeepAliveRegister() throws Exception {
        SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(), names());
        List<CallManagerTarget> targets = List.of(node("pub"), node("sub"));
        java.util.function.Predicate<java.security.cert.X509Certificate> trusted = c -> SipServerTrust.isTrustedCallManager(trust, c);
        trace.clear();
        ConsoleLog boot = new ConsoleLog("phone", cluster.clock());
        RegistrationOutcome first = client.register(request(targets, trusted, boot, ConnectionUse.KEEP_NEW)).get(30, TimeUnit.SECONDS);
        assertThat(first).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> assertThat(r.target().node()).startsWith("pub"));
        assertThat(boot.contains("SIP: backup CallManager sub.lab.example answered the keep-alive REGISTER: 200 OK")).isTrue();
        assertThat(client.keptConnections()).isEqualTo(2);
        // The backup bound nothing: the phone is registered to the primary only.
        assertThat(cluster.sipRegistrations("sub")).isEmpty();

        ConsoleLog renewal = new ConsoleLog("phone", cluster.clock());
        RegistrationOutcome second = client.register(request(targets, trusted, renewal, ConnectionUse.KEEP_REUSE)).get(30, TimeUnit.SECONDS);
        assertThat(second).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> assertThat(r.target().node()).startsWith("pub"));
        assertThat(renewal.contains("SIP: REGISTER sent to pub.lab.example:" + node("pub").port() + " on the open connection")).isTrue();
        assertThat(renewal.contains("SIP: registering to")).as("no new connection").isFalse();
        // CallManager saw both REGISTERs, and both keep-alives, each pair from one connection.
        List<String> registered = peers("SEP" + SECURE + " registered");
        assertThat(registered).hasSize(2);
        assertThat(registered.get(1)).isEqualTo(registered.get(0));
        List<String> keepAlives = peers("keep-alive from SEP" + SECURE);
        assertThat(keepAlives).hasSize(2);
        assertThat(keepAlives.get(1)).isEqualTo(keepAlives.get(0)).isNotEqualTo(registered.get(0));
        assertThat(client.keptConnections()).isEqualTo(2);

        // A boot (not a renewal) starts over: the kept connections are closed, new ones opened.
        ConsoleLog reboot = new ConsoleLog("phone", cluster.clock());
        assertThat(client.register(request(targets, trusted, reboot, ConnectionUse.KEEP_NEW)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(peers("SEP" + SECURE + " registered")).hasSize(3).last().isNotEqualTo(registered.get(0));
        client.release("SEP" + SECURE);
        assertThat(client.keptConnections()).isZero();
    }

    @Test
    void whenThePrimarysRegistrarDiesTheRenewalFailsOverOnTheWarmConnectionToTheBackup() throws Exception {
        KeyMaterial primaryKey = TestPki.rsa("CN=primary.lab.example,O=keep", 1024, 16);
        EventLoopGroup primaryGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        List<String> primaryTrace = new CopyOnWriteArrayList<>();
        // A fresh connection must send its request within FRESH; a registered one is kept for the keep-alive interval.
        // FRESH only bounds the phone's first REGISTER after its handshake: generous, so a busy machine does not miss it.
        Duration fresh = Duration.ofSeconds(5);
        SipRegistrar primary = new SipRegistrar(primaryGroup, "primary", new InetSocketAddress("127.0.0.3", 0),
                new InetSocketAddress("127.0.0.3", 0), () -> primaryKey, cluster.registrarDirectory(), primaryTrace::add,
                new ConnectionLimits(Duration.ofMinutes(2), fresh, 64, 16));
        InetSocketAddress[] bound = primary.bind().get(10, TimeUnit.SECONDS);
        try {
            CallManagerTarget first = new CallManagerTarget(0, "primary.lab.example", bound[1].getPort(), SipTransport.TLS);
            List<CallManagerTarget> targets = List.of(first, node("sub"));
            java.util.function.Predicate<java.security.cert.X509Certificate> trusted =
                    c -> c.equals(primaryKey.certificate()) || SipServerTrust.isTrustedCallManager(trust, c);
            SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(), names());
            trace.clear();
            ConsoleLog boot = new ConsoleLog("phone", cluster.clock());
            assertThat(client.register(request(targets, trusted, boot, ConnectionUse.KEEP_NEW)).get(30, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> assertThat(r.target()).isEqualTo(first));

            // Past the fresh-connection deadline, the registered connection is still the one renewed on. A connection
            // opened now that sends nothing is closed at its fresh deadline; the registrar's one event loop runs its
            // timers in order, so by then the registered connection's would have run too.
            try (java.net.Socket witness = new java.net.Socket()) {
                witness.connect(bound[0], 10_000);
                witness.setSoTimeout(120_000);
                assertThat(witness.getInputStream().read()).as("the fresh-connection deadline closed the witness").isEqualTo(-1);
            }
            ConsoleLog renewal = new ConsoleLog("phone", cluster.clock());
            assertThat(client.register(request(targets, trusted, renewal, ConnectionUse.KEEP_REUSE)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(RegistrationOutcome.Registered.class);
            assertThat(renewal.contains("SIP: REGISTER sent to primary.lab.example:" + first.port() + " on the open connection")).isTrue();

            // The primary's registrar dies: its listening sockets and the phone's connection with it.
            CompletableFuture<Void> noticed = new CompletableFuture<>();
            renewal.subscribe(l -> {
                if (l.text().contains("closed the connection the phone kept open")) {
                    noticed.complete(null);
                }
            });
            primaryGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            noticed.get(10, TimeUnit.SECONDS);

            ConsoleLog failover = new ConsoleLog("phone", cluster.clock());
            RegistrationOutcome o = client.register(request(targets, trusted, failover, ConnectionUse.KEEP_REUSE)).get(30, TimeUnit.SECONDS);
            assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> assertThat(r.target().node()).startsWith("sub"));
            // The warm connection carried the REGISTER: no connect, no handshake to the backup.
            assertThat(failover.contains("SIP: REGISTER sent to sub.lab.example:" + node("sub").port() + " on the open connection")).isTrue();
            assertThat(failover.contains("SIP: registering to sub")).isFalse();
            List<String> keepAlive = peers("keep-alive from SEP" + SECURE);
            assertThat(keepAlive).isNotEmpty();
            assertThat(peers("SEP" + SECURE + " registered")).containsExactly(keepAlive.get(0));
            client.release("SEP" + SECURE);
        } finally {
            primaryGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /** The peer of a REFER in the cluster's trace: {@code SIP REFER from /127.0.0.1:40312 over TLS: DeviceTLInfo from ...}. */
    static final Pattern REFER_PEER = Pattern.compile("SIP REFER from (/[0-9.]+:[0-9]+) ");

    static List<String> referPeers() {
        return trace.stream().filter(l -> l.contains("DeviceTLInfo from SEP" + SECURE)).map(l -> {
            Matcher m = REFER_PEER.matcher(l);
            return m.find() ? m.group(1) : "?";
        }).toList();
    }

    static SipRegistrationClient.Request reporting(List<CallManagerTarget> targets, java.util.function.Predicate<java.security.cert.X509Certificate> trusted,
                                                   ConsoleLog log, ConnectionUse use) {
        return new SipRegistrationClient.Request(targets, new RegisterIdentity(new Mac(SECURE), new PhoneModel("7970"), "9.4.2"),
                cluster.deviceLsc(SECURE), trusted, log, Optional.of(org.phoneemu.core.sip.DeviceTlInfo.of("SEP" + SECURE, trust, "127.0.0.1")),
                org.phoneemu.core.sip.DeviceSecurityMode.ENCRYPTED, Optional.empty(), use);
    }

    @Test
    void theDeviceTlInfoReferTravelsOnTheRegistrationsKeptConnectionAndLeavesItsCseqAlone() throws Exception {
        // What the phone writes to the primary: "Call-ID CSeq", request by request.
        List<String> written = new CopyOnWriteArrayList<>();
        SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(), names(),
                ch -> ch.pipeline().addAfter("encoder", "written", new io.netty.channel.ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                        if (msg instanceof org.phoneemu.sip.codec.SipMessage.Request r && r.header("Contact").filter(c -> c.contains("cisco-keep-alive")).isEmpty()) {
                            written.add(r.header("Call-ID").orElse("?") + " " + r.header("CSeq").orElse("?"));
                        }
                        ctx.write(msg, promise);
                    }
                }));
        List<CallManagerTarget> targets = List.of(node("pub"), node("sub"));
        java.util.function.Predicate<java.security.cert.X509Certificate> trusted = c -> SipServerTrust.isTrustedCallManager(trust, c);
        trace.clear();
        ConsoleLog boot = new ConsoleLog("phone", cluster.clock());
        assertThat(client.register(reporting(targets, trusted, boot, ConnectionUse.KEEP_NEW)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(boot.contains("SIP: pub.lab.example answered the DeviceTLInfo alarm: 202 Accepted")).isTrue();
        assertThat(boot.contains("SIP: REFER sent to pub.lab.example:" + node("pub").port() + " on the open connection")).isTrue();
        List<String> registered = peers("SEP" + SECURE + " registered");
        assertThat(referPeers()).as("the REFER came on the REGISTER's connection").containsExactly(registered.get(0));

        // The renewal on the same connection: its REGISTER continues the registration (the REFER took no CSeq of it), and
        // its alarm rides there too.
        ConsoleLog renewal = new ConsoleLog("phone", cluster.clock());
        assertThat(client.register(reporting(targets, trusted, renewal, ConnectionUse.KEEP_REUSE)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(peers("SEP" + SECURE + " registered")).containsExactly(registered.get(0), registered.get(0));
        assertThat(referPeers()).containsExactly(registered.get(0), registered.get(0));
        assertThat(renewal.contains("SIP: registering to")).as("no new connection").isFalse();
        assertThat(written).hasSize(4);
        String callId = written.get(0).split(" ")[0];
        assertThat(written.get(0)).isEqualTo(callId + " 101 REGISTER");
        assertThat(written.get(1)).endsWith(" 1000 REFER").doesNotStartWith(callId);
        assertThat(written.get(2)).as("the renewal follows the REGISTER, not the REFER").isEqualTo(callId + " 102 REGISTER");
        assertThat(written.get(3)).endsWith(" 1000 REFER");
        client.release("SEP" + SECURE);

        // A registration that keeps no connection: the REFER goes on a connection of its own.
        trace.clear();
        ConsoleLog once = new ConsoleLog("phone", cluster.clock());
        assertThat(client.register(reporting(targets, trusted, once, ConnectionUse.CLOSE)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(once.contains("SIP: pub.lab.example answered the DeviceTLInfo alarm: 202 Accepted")).isTrue();
        assertThat(referPeers()).hasSize(1).doesNotContain(peers("SEP" + SECURE + " registered").get(0));
        assertThat(client.keptConnections()).isZero();
    }

    @Test
    void aKeptConnectionCallManagerEndsIsReportedAndOneThePhoneClosesIsNot() throws Exception {
        KeyMaterial primaryKey = TestPki.rsa("CN=primary.lab.example,O=keep", 1024, 17);
        EventLoopGroup primaryGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SipRegistrar primary = new SipRegistrar(primaryGroup, "primary", new InetSocketAddress("127.0.0.3", 0),
                new InetSocketAddress("127.0.0.3", 0), () -> primaryKey, cluster.registrarDirectory(), l -> { },
                ConnectionLimits.defaults());
        InetSocketAddress[] bound = primary.bind().get(10, TimeUnit.SECONDS);
        try {
            CallManagerTarget first = new CallManagerTarget(0, "primary.lab.example", bound[1].getPort(), SipTransport.TLS);
            List<CallManagerTarget> targets = List.of(first, node("sub"));
            java.util.function.Predicate<java.security.cert.X509Certificate> trusted =
                    c -> c.equals(primaryKey.certificate()) || SipServerTrust.isTrustedCallManager(trust, c);
            SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(), names());
            java.util.concurrent.BlockingQueue<CallManagerTarget> lost = new java.util.concurrent.LinkedBlockingQueue<>();
            java.util.function.Function<ConsoleLog, SipRegistrationClient.Request> boot = log -> new SipRegistrationClient.Request(targets,
                    new RegisterIdentity(new Mac(SECURE), new PhoneModel("7970"), "9.4.2"), cluster.deviceLsc(SECURE), trusted, log,
                    Optional.empty(), org.phoneemu.core.sip.DeviceSecurityMode.ENCRYPTED, Optional.empty(), ConnectionUse.KEEP_NEW, lost::add);
            assertThat(client.register(boot.apply(new ConsoleLog("phone", cluster.clock()))).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(RegistrationOutcome.Registered.class);
            assertThat(client.keptConnections()).isEqualTo(2);
            // A boot closes the device's kept connections itself: no report (the phone's own closure).
            ConsoleLog reboot = new ConsoleLog("phone", cluster.clock());
            assertThat(client.register(boot.apply(reboot)).get(30, TimeUnit.SECONDS)).isInstanceOf(RegistrationOutcome.Registered.class);
            assertThat(reboot.contains("closed the connection the phone kept open")).isFalse();

            // The primary's registrar dies (its listening sockets and the phone's connection with it): reported once, as
            // that CallManager.
            primaryGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            assertThat(lost.poll(10, TimeUnit.SECONDS)).isEqualTo(first);
            // Released by the phone (it stops): the backup's warm connection ends without a report.
            client.release("SEP" + SECURE);
            assertThat(client.keptConnections()).isZero();
            assertThat(lost.poll(500, TimeUnit.MILLISECONDS)).as("only the primary's end was reported").isNull();
        } finally {
            primaryGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /** A client whose REFERs never reach CallManager: {@code onRefer} gets the channel instead (CallManager ignoring or ending it). */
    static SipRegistrationClient referTapped(java.util.function.Consumer<io.netty.channel.Channel> onRefer) {
        SipClientOptions quick = new SipClientOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1),
                SipClientOptions.DEFAULTS.limits());
        return new SipRegistrationClient(group, quick, cluster.clock(), names(),
                ch -> ch.pipeline().addAfter("encoder", "dropRefer", new io.netty.channel.ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                        if (msg instanceof org.phoneemu.sip.codec.SipMessage.Request r && r.method().equals("REFER")) {
                            promise.setSuccess();
                            onRefer.accept(ctx.channel());
                            return;
                        }
                        ctx.write(msg, promise);
                    }
                }));
    }

    static SipRegistrationClient.Request reportingTo(List<CallManagerTarget> targets, ConsoleLog log, ConnectionUse use,
                                                     java.util.function.Consumer<CallManagerTarget> lost) {
        return new SipRegistrationClient.Request(targets, new RegisterIdentity(new Mac(SECURE), new PhoneModel("7970"), "9.4.2"),
                cluster.deviceLsc(SECURE), c -> SipServerTrust.isTrustedCallManager(trust, c), log,
                Optional.of(org.phoneemu.core.sip.DeviceTlInfo.of("SEP" + SECURE, trust, "127.0.0.1")),
                org.phoneemu.core.sip.DeviceSecurityMode.ENCRYPTED, Optional.empty(), use, lost);
    }

    @Test
    void aReferCallManagerDoesNotAnswerLeavesTheRegistrationsConnectionOpen() throws Exception {
        SipRegistrationClient client = referTapped(ch -> { });
        List<CallManagerTarget> targets = List.of(node("pub"), node("sub"));
        java.util.concurrent.BlockingQueue<CallManagerTarget> lost = new java.util.concurrent.LinkedBlockingQueue<>();
        ConsoleLog boot = new ConsoleLog("phone", cluster.clock());
        assertThat(client.register(reportingTo(targets, boot, ConnectionUse.KEEP_NEW, lost::add)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(boot.contains("SIP: REFER sent to pub.lab.example:" + node("pub").port() + " on the open connection")).isTrue();
        assertThat(client.keptConnections()).as("the primary's connection survives the unanswered REFER").isEqualTo(2);
        ConsoleLog renewal = new ConsoleLog("phone", cluster.clock());
        assertThat(client.register(reportingTo(targets, renewal, ConnectionUse.KEEP_REUSE, lost::add)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(renewal.contains("SIP: REGISTER sent to pub.lab.example:" + node("pub").port() + " on the open connection")).isTrue();
        assertThat(renewal.contains("SIP: registering to")).as("no new connection").isFalse();
        assertThat(lost).isEmpty();
        client.release("SEP" + SECURE);
    }

    @Test
    void theRegistrationsConnectionEndingUnderTheReferIsReportedLost() throws Exception {
        SipRegistrationClient client = referTapped(io.netty.channel.Channel::close);
        List<CallManagerTarget> targets = List.of(node("pub"), node("sub"));
        java.util.concurrent.BlockingQueue<CallManagerTarget> lost = new java.util.concurrent.LinkedBlockingQueue<>();
        ConsoleLog boot = new ConsoleLog("phone", cluster.clock());
        assertThat(client.register(reportingTo(targets, boot, ConnectionUse.KEEP_NEW, lost::add)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(lost.poll(10, TimeUnit.SECONDS)).isEqualTo(node("pub"));
        client.release("SEP" + SECURE);
    }
}
