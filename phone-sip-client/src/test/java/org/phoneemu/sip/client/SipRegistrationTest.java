package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.DeviceTlInfo;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.RegistrationPolicy;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.sip.SipTransportPolicy;
import org.phoneemu.core.sip.TransportDecision;
import org.phoneemu.core.store.ManufacturingCaStore;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.tls.client.Ipv4;

/** The phone registers to the simulated cluster's registrars over loopback: TLS with its LSC, TCP, refusals, failover. */
class SipRegistrationTest {
    static final String SECURE = "001122334455";
    static final String PLAIN = "0011223344BB";
    static final String OTHER = "0011223344CC";
    static final String YAML = """
            cluster:
              name: siptest
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
              - {mac: "%s", model: 7975, group: G1}
              - {mac: "%s", model: 8851, group: G1, lsc: true, securityMode: 2}
            """.formatted(SECURE, PLAIN, OTHER);

    @TempDir
    static Path state;
    static EventLoopGroup group;
    static Cluster cluster;
    static InstalledTrust trust;
    static SipRegistrationClient client;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(state).clock(new VirtualClock(
                java.time.Instant.now())).freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        TrustList ctl = TrustList.parse(cluster.file("pub", "CTLFile.tlv").orElseThrow(), TrustListKind.CTL);
        trust = new InstalledTrust(Optional.of(ctl), Optional.empty());
        client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(), lab());
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

    /** The configuration names CallManagers by FQDN; the lab has no DNS for them: its nodes' loopback addresses. */
    static Function<String, CompletableFuture<Inet4Address>> lab() {
        return name -> {
            for (var n : cluster.nodes()) {
                if (n.fqdn().equalsIgnoreCase(name)) {
                    return CompletableFuture.completedFuture((Inet4Address) n.address());
                }
            }
            return Ipv4.resolve(name);
        };
    }

    static PhoneConfig config(String mac) throws Exception {
        return PhoneConfigParser.parse(cluster.file("pub", "SEP" + mac + ".cnf.xml").orElseThrow());
    }

    static RegisterIdentity identity(String mac, String model) {
        return new RegisterIdentity(new Mac(mac), new PhoneModel(model), "9.4.2");
    }

    static SipRegistrationClient.Request request(List<CallManagerTarget> targets, String mac, String model,
                                                 Optional<KeyMaterial> cert, ConsoleLog log) {
        return new SipRegistrationClient.Request(targets, identity(mac, model), cert,
                c -> SipServerTrust.isTrustedCallManager(trust, c), log);
    }

    static ConsoleLog log() {
        return new ConsoleLog("phone", cluster.clock());
    }

    @Test
    void aSecurePhoneRegistersOverTlsWithItsLscToTheCallManagerItsCtlHolds() throws Exception {
        PhoneConfig config = config(SECURE);
        TransportDecision decision = SipTransportPolicy.decide(config, trust, cluster.clock().instant(), 0);
        assertThat(decision).isInstanceOf(TransportDecision.Tls.class);
        List<CallManagerTarget> targets = RegistrationPolicy.targets(config.callManagers(), decision.transport());
        assertThat(targets).extracting(CallManagerTarget::node).containsExactly("pub.lab.example", "sub.lab.example");
        assertThat(targets.get(0).port()).isEqualTo(cluster.sipAddress("pub", SipTransport.TLS).orElseThrow().getPort());

        ConsoleLog log = log();
        RegistrationOutcome o = client.register(request(targets, SECURE, "7970", cluster.deviceLsc(SECURE), log)).get(30, TimeUnit.SECONDS);
        assertThat(o).isInstanceOf(RegistrationOutcome.Registered.class);
        RegistrationOutcome.Registered r = (RegistrationOutcome.Registered) o;
        assertThat(r.target().node()).isEqualTo("pub.lab.example");
        assertThat(r.target().transport()).isEqualTo(SipTransport.TLS);
        assertThat(r.expiresSeconds()).isEqualTo(120);
        assertThat(r.cipherSuite()).isPresent();
        assertThat(cluster.sipRegistrations("pub")).anySatisfy(reg -> {
            assertThat(reg.deviceName()).isEqualTo("SEP" + SECURE);
            assertThat(reg.transport()).isEqualTo(SipTransport.TLS);
            assertThat(reg.contact()).contains("+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-001122334455>\"")
                    .contains("+u.sip!devicename.ccm.cisco.com=\"SEP001122334455\"").contains("+u.sip!model.ccm.cisco.com=\"30006\"");
        });
        assertThat(log.contains("SIP: registered to pub.lab.example over TLS, expires 120 s")).isTrue();
    }

    @Test
    void aRegisteredPhoneReportsItsItlInADeviceTlInfoAlarmThatCallManagerComparesWithTheServedOne() throws Exception {
        byte[] served = cluster.file("pub", "ITLFile.tlv").orElseThrow();
        TrustList itl = TrustList.parse(served, TrustListKind.ITL);
        List<String> trace = new java.util.concurrent.CopyOnWriteArrayList<>();
        var listening = cluster.onServiceLog(l -> trace.add(l.text()));
        try {
            PhoneConfig config = config(PLAIN);
            ConsoleLog log = log();
            DeviceTlInfo held = DeviceTlInfo.of("SEP" + PLAIN, new InstalledTrust(trust.ctl(), Optional.of(itl)), "127.0.0.1");
            RegistrationOutcome o = client.register(new SipRegistrationClient.Request(RegistrationPolicy.targets(config.callManagers(),
                    SipTransport.TCP), identity(PLAIN, "7975"), Optional.empty(), c -> true, log, Optional.of(held))).get(30, TimeUnit.SECONDS);
            assertThat(o).isInstanceOf(RegistrationOutcome.Registered.class);
            // The outcome completes once CallManager has answered the alarm: nothing to wait for.
            String sha1 = itl.file().sha1Hex();
            String md5 = itl.file().md5Hex();
            assertThat(log.contains("SIP: REFER sent to pub.lab.example:" + cluster.sipAddress("pub", SipTransport.TCP).orElseThrow().getPort()))
                    .isTrue();
            assertThat(log.contains("SIP: pub.lab.example answered the DeviceTLInfo alarm: 202 Accepted")).isTrue();
            assertThat(cluster.trustListReports("pub")).anySatisfy(r -> {
                assertThat(r.alarm().deviceName()).isEqualTo("SEP" + PLAIN);
                assertThat(r.alarm().ipv4Address()).isEqualTo("127.0.0.1");
                assertThat(r.alarm().itlSha1()).contains(sha1);
                assertThat(r.alarm().ctlSha1()).contains(trust.ctl().orElseThrow().file().sha1Hex());
                assertThat(r.servedItlSha1()).contains(sha1);
                assertThat(r.servedItlMd5()).contains(md5);
                assertThat(r.itlCurrent()).contains(true);
            });
            assertThat(trace).anySatisfy(l -> assertThat(l).startsWith("SIP REFER from /127.0.0.1:").contains("DeviceTLInfo from SEP" + PLAIN,
                    "ITL SHA-1 " + sha1, "SHA-1 " + sha1 + ", MD5 " + md5, "the phone holds the served ITL"));

            // A phone holding another ITL (here: the CTL's bytes) is told apart by its hash.
            DeviceTlInfo other = DeviceTlInfo.of("SEP" + PLAIN, new InstalledTrust(Optional.empty(), trust.ctl()), "127.0.0.1");
            assertThat(client.register(new SipRegistrationClient.Request(RegistrationPolicy.targets(config.callManagers(), SipTransport.TCP),
                    identity(PLAIN, "7975"), Optional.empty(), c -> true, log(), Optional.of(other))).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(RegistrationOutcome.Registered.class);
            assertThat(cluster.trustListReports("pub")).anySatisfy(r -> {
                assertThat(r.alarm().deviceName()).isEqualTo("SEP" + PLAIN);
                assertThat(r.alarm().ctlSha1()).isEmpty();
                assertThat(r.itlCurrent()).contains(false);
            });
            assertThat(trace).anySatisfy(l -> assertThat(l).contains("CTL not installed", "the phone's ITL differs from the served one"));
        } finally {
            listening.close();
        }
    }

    @Test
    void aNonSecurePhoneRegistersOverTcp() throws Exception {
        PhoneConfig config = config(PLAIN);
        TransportDecision decision = SipTransportPolicy.decide(config, trust, cluster.clock().instant(), 0);
        assertThat(decision).isInstanceOf(TransportDecision.Tcp.class);
        RegistrationOutcome o = client.register(request(RegistrationPolicy.targets(config.callManagers(), SipTransport.TCP), PLAIN,
                "7975", Optional.empty(), log())).get(30, TimeUnit.SECONDS);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> {
            assertThat(r.target().transport()).isEqualTo(SipTransport.TCP);
            assertThat(r.cipherSuite()).isEmpty();
        });
        assertThat(cluster.sipRegistrations("pub")).anySatisfy(reg -> assertThat(reg.deviceName()).isEqualTo("SEP" + PLAIN));
    }

    @Test
    void aSecureDeviceOverTcpIsRefusedWithCucmsSecurityMismatch() throws Exception {
        RegistrationOutcome o = client.register(request(RegistrationPolicy.targets(config(SECURE).callManagers(), SipTransport.TCP),
                SECURE, "7970", Optional.empty(), log())).get(30, TimeUnit.SECONDS);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.reason()).isEqualTo("Forbidden \"Device security mismatch: expected TLS\"");
            // A refusal is final: the subscriber was not asked.
            assertThat(r.target().node()).isEqualTo("pub.lab.example");
        });
    }

    @Test
    void aClientCertificateThatIsNotTheDevicesIsRefusedWithTlsAuthenticationFailure() throws Exception {
        List<CallManagerTarget> targets = RegistrationPolicy.targets(config(OTHER).callManagers(), SipTransport.TLS);
        // Another device's LSC, then a self-signed certificate naming no device of the cluster.
        KeyMaterial someoneElses = cluster.deviceLsc(SECURE).orElseThrow();
        KeyMaterial stranger = TestPki.rsa("CN=SEP" + OTHER + ",O=elsewhere", 1024, 16);
        for (KeyMaterial cert : List.of(someoneElses, stranger)) {
            RegistrationOutcome o = client.register(request(targets, OTHER, "8851", Optional.of(cert), log())).get(30, TimeUnit.SECONDS);
            assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.reason()).isEqualTo("Forbidden \"TLS authentication failure\"");
            });
        }
        // A self-signed certificate shaped like its MIC (CP-<model>-SEP<MAC>) chains to no root of CallManager-trust.
        KeyMaterial selfSigned = TestPki.rsa("CN=CP-8851-SEP" + OTHER + ",O=Cisco Systems Inc.", 1024, 16);
        assertThat(client.register(request(targets, OTHER, "8851", Optional.of(selfSigned), log())).get(30, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(RegistrationOutcome.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo("Forbidden \"TLS authentication failure\""));
        // Its MIC, issued by the manufacturing CA whose root the cluster's CallManager-trust holds, registers.
        KeyMaterial mic = ManufacturingCaStore.shared().issueWithNewKey("CP-8851-SEP" + OTHER, 1024, cluster.clock());
        assertThat(client.register(request(targets, OTHER, "8851", Optional.of(mic), log())).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
    }

    @Test
    void aServerWhoseCertificateIsNotInTheCtlGetsNothingAndThePhoneFailsOverToTheNextCallManager() throws Exception {
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> handshook = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        KeyMaterial rogueKey = TestPki.rsa("CN=pub.lab.example,O=cisco", 1024, 16);
        Channel rogue = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws Exception {
                        ch.pipeline().addLast(SslContextBuilder.forServer(rogueKey.privateKey(), rogueKey.certificate()).build()
                                .newHandler(ch.alloc()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                                    handshook.complete(null);
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                received.addAndGet(((ByteBuf) msg).readableBytes());
                                ((ByteBuf) msg).release();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                closed.complete(null);
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            int roguePort = ((InetSocketAddress) rogue.localAddress()).getPort();
            int dead;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                dead = s.getLocalPort(); // closed again: connection refused
            }
            int sub = cluster.sipAddress("sub", SipTransport.TLS).orElseThrow().getPort();
            List<CallManagerTarget> targets = List.of(new CallManagerTarget(0, "127.0.0.1", roguePort, SipTransport.TLS),
                    new CallManagerTarget(1, "127.0.0.1", dead, SipTransport.TLS),
                    new CallManagerTarget(2, "sub.lab.example", sub, SipTransport.TLS));
            ConsoleLog log = log();
            RegistrationOutcome o = client.register(request(targets, SECURE, "7970", cluster.deviceLsc(SECURE), log))
                    .get(30, TimeUnit.SECONDS);
            assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                    r -> assertThat(r.target().node()).isEqualTo("sub.lab.example"));
            handshook.get(10, TimeUnit.SECONDS);
            closed.get(10, TimeUnit.SECONDS);
            assertThat(received.get()).as("application bytes the rogue server got").isZero();
            assertThat(log.contains("which is not a CallManager record of the phone's trust list: nothing sent")).isTrue();
            assertThat(cluster.sipRegistrations("sub")).anySatisfy(reg -> assertThat(reg.deviceName()).isEqualTo("SEP" + SECURE));

            // Only the rogue and the dead port: not registered, and the outcome says the certificate was untrusted.
            RegistrationOutcome none = client.register(request(targets.subList(0, 2), SECURE, "7970", cluster.deviceLsc(SECURE), log()))
                    .get(30, TimeUnit.SECONDS);
            assertThat(none).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> {
                assertThat(u.anyUntrusted()).isTrue();
                assertThat(u.attempts()).extracting(RegistrationOutcome.Attempt::failure).containsExactly(
                        RegistrationOutcome.AttemptFailure.UNTRUSTED_CERTIFICATE, RegistrationOutcome.AttemptFailure.CONNECT_FAILED);
            });
            assertThat(received.get()).isZero();
        } finally {
            rogue.close().sync();
        }
    }
}
