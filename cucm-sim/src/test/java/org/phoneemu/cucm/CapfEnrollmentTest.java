package org.phoneemu.cucm;

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
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.capf.client.CapfClient;
import org.phoneemu.capf.client.CapfClientOptions;
import org.phoneemu.capf.client.CapfEnrollment;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.wire.CapfMessage;
import org.phoneemu.capf.wire.CapfMessageEncoder;
import org.phoneemu.capf.wire.CapfReason;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.CapfStatus;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.capf.CapfServerOptions;
import org.phoneemu.core.store.ManufacturingCaStore;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.MicTrustStore;
import org.phoneemu.cucm.pki.CertificateIssuer;

/** The phone's CAPF client against the simulated cluster's CAPF server, over TLS on loopback, in every mode. */
class CapfEnrollmentTest {
    static final String YAML = """
            cluster:
              name: capf
              domain: lab.example
              keySizes: {default: 1024}
              ports: {tftp: 0, tvs: 0, https: 0}
            nodes:
              - {hostname: pub, address: 127.0.0.1}
            devices:
              - {mac: "0011223344A1", capf: {operation: install, authMode: nullString, keySize: 1024}}
              - {mac: "0011223344A2", capf: {operation: install, authMode: authString, authString: "123456", keySize: 2048}}
              - {mac: "0011223344A3", model: 8841, capf: {operation: install, authMode: existingCertificate, keyType: ec, keySize: 256}}
              - {mac: "0011223344A4", lsc: true, capf: {operation: delete}}
              - {mac: "0011223344A5", capf: {operation: troubleshoot}}
              - {mac: "0011223344A6"}
              - {mac: "0011223344A7", capf: {operation: install, authMode: nullString, keyType: ec, keySize: 256}}
            """;

    @TempDir
    Path tmp;
    VirtualClock clock;
    Cluster cluster;
    CapfClient client;
    InetSocketAddress capf;
    byte[] itl;

    @BeforeEach
    void start() throws Exception {
        clock = TestClusters.clock();
        cluster = TestClusters.build(YAML, tmp.resolve("cluster"), clock);
        cluster.capfServerOptions(CapfServerOptions.DEFAULTS.withRequestTimeout(Duration.ofSeconds(5))
                .withAuthLimits(5, Duration.ofMinutes(30), Duration.ofMillis(20)));
        cluster.start().join();
        capf = cluster.capfAddress("pub");
        itl = cluster.file("pub", "ITLFile.tlv").orElseThrow();
        client = CapfClient.create(CapfClientOptions.DEFAULTS.withRetries(3, Duration.ofMillis(50))
                .withReadTimeout(Duration.ofSeconds(10)), clock);
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.close();
    }

    /** A phone's flash holding the cluster's ITL and a MIC. */
    private TrustStore phone(String mac, String model) throws Exception {
        TrustStore store = TrustStore.open(tmp.resolve("SEP" + mac), FileOps.system(), clock, new ConsoleLog("x", clock),
                new StatusMessages(clock));
        store.install(TrustList.parse(itl, TrustListKind.ITL));
        KeyMaterial mic = ManufacturingCaStore.shared().issueWithNewKey("CP-" + model + "-SEP" + mac, 1024, clock);
        store.saveIdentity(new PhoneIdentity(mic, Optional.empty()));
        return store;
    }

    private CapfOutcome enroll(TrustStore store, String mac, CapfAuthMode mode, Optional<String> authString, ConsoleLog log) {
        return CapfEnrollment.run(client, store, new StatusMessages(clock), log, capf, mac, mode, authString,
                CapfEnrollment.trustListCheck(store));
    }

    @Test
    void byNullStringInstallsAnLscIssuedByTheClustersCapf() throws Exception {
        TrustStore store = phone("0011223344A1", "7970");
        ConsoleLog log = new ConsoleLog("SEP0011223344A1", clock);
        CapfOutcome o = enroll(store, "0011223344A1", CapfAuthMode.NULL_STRING, Optional.empty(), log);

        assertThat(o).isInstanceOf(CapfOutcome.Installed.class);
        var lsc = ((CapfOutcome.Installed) o).lsc();
        assertThat(lsc.getSubjectX500Principal().getName()).startsWith("CN=SEP0011223344A1");
        lsc.verify(cluster.capfCertificate().getPublicKey());
        assertThat(((RSAPublicKey) lsc.getPublicKey()).getModulus().bitLength()).isEqualTo(1024);
        assertThat(cluster.enrolledLsc("0011223344A1")).contains(lsc);
        assertThat(cluster.capfSettings("0011223344A1").orElseThrow().operation()).isEqualTo(CapfOperation.NO_PENDING_OPERATION);
        // On the flash: key and certificate, readable after a power cycle.
        TrustStore again = TrustStore.open(store.directory(), FileOps.system(), clock, new ConsoleLog("x", clock), new StatusMessages(clock));
        assertThat(again.identity().orElseThrow().lsc().orElseThrow().certificate()).isEqualTo(lsc);
        assertThat(again.identity().orElseThrow().lsc().orElseThrow().privateKey()).isNotNull();
        assertThat(log.contains("SECD: capf_srvr_cert_vfy: CAPF cert verified with the CAPF record of the TL")).isTrue();
        assertThat(log.contains("authenticating SEP0011223344A1 by null string")).isTrue();
        assertThat(log.contains("generating a RSA 1024 key pair")).isTrue();
        assertThat(log.contains("SECD: capfProcessStoreCertReq: LSC installed: CN=SEP0011223344A1")).isTrue();

        // The operation is done: a second session finds nothing pending and the flash keeps its LSC.
        CapfOutcome second = enroll(store, "0011223344A1", CapfAuthMode.NULL_STRING, Optional.empty(), new ConsoleLog("x", clock));
        assertThat(second).isInstanceOfSatisfying(CapfOutcome.Refused.class, r -> {
            assertThat(r.why()).isEqualTo(CapfOutcome.Why.SERVER_REFUSED);
            assertThat(r.serverReason()).hasValue(CapfReason.NO_ACTION.code());
        });
        assertThat(store.identity().orElseThrow().lsc().orElseThrow().certificate()).isEqualTo(lsc);
    }

    @Test
    void byAuthenticationStringInstallsWithTheRightStringAndRefusesAWrongOne() throws Exception {
        TrustStore store = phone("0011223344A2", "7970");
        Path lscFile = store.directory().resolve(TrustStore.LSC);

        ConsoleLog log = new ConsoleLog("x", clock);
        CapfOutcome wrong = enroll(store, "0011223344A2", CapfAuthMode.AUTH_STRING, Optional.of("654321"), log);
        assertThat(wrong).isInstanceOfSatisfying(CapfOutcome.Refused.class, r -> {
            assertThat(r.why()).isEqualTo(CapfOutcome.Why.SERVER_REFUSED);
            assertThat(r.serverReason()).hasValue(CapfReason.INVALID_ELEMENT.code());
            assertThat(r.exitCode()).isEqualTo(1);
        });
        assertThat(Files.exists(lscFile)).as("flash unchanged").isFalse();
        assertThat(store.identity().orElseThrow().lsc()).isEmpty();
        assertThat(cluster.enrolledLsc("0011223344A2")).isEmpty();
        assertThat(log.contains("invalid element (7)")).isTrue();

        CapfOutcome right = enroll(store, "0011223344A2", CapfAuthMode.AUTH_STRING, Optional.of("123456"), new ConsoleLog("x", clock));
        assertThat(right).isInstanceOf(CapfOutcome.Installed.class);
        assertThat(((RSAPublicKey) ((CapfOutcome.Installed) right).lsc().getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(Files.exists(lscFile)).isTrue();
    }

    @Test
    void wrongStringLeavesAnExistingLscUntouched() throws Exception {
        TrustStore store = phone("0011223344A2", "7970");
        assertThat(enroll(store, "0011223344A2", CapfAuthMode.AUTH_STRING, Optional.of("123456"), new ConsoleLog("x", clock)))
                .isInstanceOf(CapfOutcome.Installed.class);
        byte[] before = Files.readAllBytes(store.directory().resolve(TrustStore.LSC));
        cluster.setCapfSettings("0011223344A2", cluster.capfSettings("0011223344A2").orElseThrow().withOperation(CapfOperation.INSTALL_UPGRADE));
        CapfOutcome o = enroll(store, "0011223344A2", CapfAuthMode.AUTH_STRING, Optional.of("000000"), new ConsoleLog("x", clock));
        assertThat(o).isInstanceOf(CapfOutcome.Refused.class);
        assertThat(Files.readAllBytes(store.directory().resolve(TrustStore.LSC))).isEqualTo(before);
    }

    @Test
    void byExistingCertificateUsesTheMicThenTheLscForAnUpgradeWithAnEcKey() throws Exception {
        TrustStore store = phone("0011223344A3", "8841");
        CapfOutcome first = enroll(store, "0011223344A3", CapfAuthMode.EXISTING_CERTIFICATE, Optional.empty(), new ConsoleLog("x", clock));
        assertThat(first).isInstanceOf(CapfOutcome.Installed.class);
        var lsc1 = ((CapfOutcome.Installed) first).lsc();
        assertThat(lsc1.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((CapfOutcome.Installed) first).key().describe()).isEqualTo("EC P-256");

        // Upgrade: the administrator sets Install/Upgrade again; the phone now authenticates with its LSC.
        cluster.setCapfSettings("0011223344A3", cluster.capfSettings("0011223344A3").orElseThrow().withOperation(CapfOperation.INSTALL_UPGRADE));
        CapfOutcome second = enroll(store, "0011223344A3", CapfAuthMode.EXISTING_CERTIFICATE, Optional.empty(), new ConsoleLog("x", clock));
        assertThat(second).isInstanceOf(CapfOutcome.Installed.class);
        var lsc2 = ((CapfOutcome.Installed) second).lsc();
        assertThat(lsc2.getSerialNumber()).isNotEqualTo(lsc1.getSerialNumber());
        assertThat(store.identity().orElseThrow().lsc().orElseThrow().certificate()).isEqualTo(lsc2);
        assertThat(cluster.enrolledLsc("0011223344A3")).contains(lsc2);
    }

    @Test
    void existingCertificateModeRefusesAStrangersCertificate() throws Exception {
        TrustStore store = phone("0011223344A3", "8841");
        // A MIC naming another device.
        KeyMaterial other = new CertificateIssuer(Map.of(), 8, clock, new SecureRandom())
                .selfSigned("CP-8841-SEP0011223344A1", 1024, CertificateIssuer.Profile.NODE);
        store.saveIdentity(new PhoneIdentity(other, Optional.empty()));
        CapfOutcome o = enroll(store, "0011223344A3", CapfAuthMode.EXISTING_CERTIFICATE, Optional.empty(), new ConsoleLog("x", clock));
        assertThat(o).isInstanceOfSatisfying(CapfOutcome.Refused.class,
                r -> assertThat(r.serverReason()).hasValue(CapfReason.INVALID_ELEMENT.code()));
        assertThat(store.identity().orElseThrow().lsc()).isEmpty();
    }

    @Test
    void existingCertificateModeRefusesASelfSignedMic() throws Exception {
        TrustStore store = phone("0011223344A3", "8841");
        // Shaped like this device's MIC, but issued by no manufacturing CA of CAPF-trust.
        KeyMaterial selfSigned = new CertificateIssuer(Map.of(), 8, clock, new SecureRandom())
                .selfSigned("CP-8841-SEP0011223344A3", 1024, CertificateIssuer.Profile.NODE);
        store.saveIdentity(new PhoneIdentity(selfSigned, Optional.empty()));
        CapfOutcome o = enroll(store, "0011223344A3", CapfAuthMode.EXISTING_CERTIFICATE, Optional.empty(), new ConsoleLog("x", clock));
        assertThat(o).isInstanceOfSatisfying(CapfOutcome.Refused.class,
                r -> assertThat(r.serverReason()).hasValue(CapfReason.INVALID_ELEMENT.code()));
        assertThat(store.identity().orElseThrow().lsc()).isEmpty();
    }

    @Test
    void existingCertificateModeRefusesTheMicOnceItsCasAreDeletedFromCapfTrustOnly() throws Exception {
        AdminShell shell = new AdminShell(cluster, "pub");
        String root = NodeAdmin.trustFileName(cluster.manufacturingRoot());
        String intermediate = NodeAdmin.trustFileName(cluster.manufacturingIntermediate());
        // CallManager-trust is the registrar's store: deleting the CAs there does not change what CAPF accepts.
        assertThat(shell.run("set cert delete CallManager-trust " + root).refused()).isFalse();
        assertThat(shell.run("set cert delete CallManager-trust " + intermediate).refused()).isFalse();
        TrustStore store = phone("0011223344A3", "8841");
        assertThat(enroll(store, "0011223344A3", CapfAuthMode.EXISTING_CERTIFICATE, Optional.empty(), new ConsoleLog("x", clock)))
                .isInstanceOf(CapfOutcome.Installed.class);

        cluster.setCapfSettings("0011223344A3", cluster.capfSettings("0011223344A3").orElseThrow().withOperation(CapfOperation.INSTALL_UPGRADE));
        AdminShell.Result deleted = shell.run("set cert delete CAPF-trust " + root);
        assertThat(deleted.refused()).isFalse();
        assertThat(deleted.output()).isEqualTo("Successfully deleted certificate " + root + " from CAPF-trust.\n");
        assertThat(cluster.micTrust(MicTrustStore.CAPF_TRUST)).containsExactly(cluster.manufacturingIntermediate());
        assertThat(shell.run("set cert delete CAPF-trust " + intermediate).refused()).isFalse();
        assertThat(cluster.micTrust(MicTrustStore.CAPF_TRUST)).isEmpty();
        TrustStore fresh = phone("0011223344A3", "8841"); // its MIC only: no LSC to fall back on
        CapfOutcome o = enroll(fresh, "0011223344A3", CapfAuthMode.EXISTING_CERTIFICATE, Optional.empty(), new ConsoleLog("x", clock));
        assertThat(o).isInstanceOfSatisfying(CapfOutcome.Refused.class,
                r -> assertThat(r.serverReason()).hasValue(CapfReason.INVALID_ELEMENT.code()));
        // Deleting it again: CUCM-like refusal naming what the store holds.
        AdminShell.Result again = shell.run("set cert delete CAPF-trust " + root);
        assertThat(again.refused()).isTrue();
        assertThat(again.output()).contains("Certificate " + root + " not found in CAPF-trust");
    }

    @Test
    void deleteRemovesTheLscAndTroubleshootSendsTheCertificate() throws Exception {
        TrustStore store = phone("0011223344A4", "7970");
        store.saveLsc(cluster.deviceLsc("0011223344A4").orElseThrow());
        CapfOutcome deleted = enroll(store, "0011223344A4", CapfAuthMode.NULL_STRING, Optional.empty(), new ConsoleLog("x", clock));
        assertThat(deleted).isInstanceOf(CapfOutcome.Deleted.class);
        assertThat(store.identity().orElseThrow().lsc()).isEmpty();
        assertThat(Files.exists(store.directory().resolve(TrustStore.LSC))).isFalse();
        assertThat(cluster.deviceLsc("0011223344A4")).isEmpty();

        TrustStore five = phone("0011223344A5", "7970");
        CapfOutcome fetched = enroll(five, "0011223344A5", CapfAuthMode.NULL_STRING, Optional.empty(), new ConsoleLog("x", clock));
        assertThat(fetched).isInstanceOfSatisfying(CapfOutcome.Fetched.class,
                f -> assertThat(f.sent()).contains(five.identity().orElseThrow().mic().certificate()));
    }

    @Test
    void unknownDeviceAndDeviceWithoutOperationAreRefused() throws Exception {
        TrustStore store = phone("0011223344A6", "7970");
        assertThat(enroll(store, "0011223344A6", CapfAuthMode.NULL_STRING, Optional.empty(), new ConsoleLog("x", clock)))
                .isInstanceOfSatisfying(CapfOutcome.Refused.class,
                        r -> assertThat(r.serverReason()).hasValue(CapfReason.NO_ACTION.code()));
        TrustStore stranger = phone("0011223344FF", "7970");
        assertThat(enroll(stranger, "0011223344FF", CapfAuthMode.NULL_STRING, Optional.empty(), new ConsoleLog("x", clock)))
                .isInstanceOfSatisfying(CapfOutcome.Refused.class,
                        r -> assertThat(r.serverReason()).hasValue(CapfReason.UNKNOWN_DEVICE.code()));
    }

    @Test
    void aCapfServerNotInTheTrustListsGetsNotASingleByte() throws Exception {
        // A rogue CAPF: TLS with its own certificate, speaks first like CAPF, counts what the phone sends.
        KeyMaterial rogue = new CertificateIssuer(Map.of(), 8, clock, new SecureRandom())
                .selfSigned("CAPF-rogue", 1024, CertificateIssuer.Profile.AUTHORITY);
        AtomicInteger received = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            var tls = SslContextBuilder.forServer(rogue.privateKey(), rogue.certificate()).build();
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.incrementAndGet();
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()), CapfMessageEncoder.INSTANCE, new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                                        ctx.writeAndFlush(CapfMessage.authRequest(1, 3, 0));
                                    }
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    received.addAndGet(((ByteBuf) msg).readableBytes());
                                    ((ByteBuf) msg).release();
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            TrustStore store = phone("0011223344A2", "7970");
            StatusMessages status = new StatusMessages(clock);
            ConsoleLog log = new ConsoleLog("x", clock);
            CapfOutcome o = CapfEnrollment.run(client, store, status, log, (InetSocketAddress) server.localAddress(), "0011223344A2",
                    CapfAuthMode.AUTH_STRING, Optional.of("123456"), CapfEnrollment.trustListCheck(store));
            assertThat(o).isInstanceOfSatisfying(CapfOutcome.Refused.class, r -> {
                assertThat(r.why()).isEqualTo(CapfOutcome.Why.UNTRUSTED_SERVER);
                assertThat(r.exitCode()).isEqualTo(1);
            });
            // The server may not even see its side of the handshake finish: the phone hangs up as soon as its side is done.
            assertThat(connections.get()).as("not retried: a refusal is final").isEqualTo(1);
            assertThat(received.get()).as("application bytes the rogue server received").isZero();
            assertThat(log.contains("SECD: EROR:capfClientSession: capf_srvr_cert_vfy: CAPF cert not found in TL, closing the connection")).isTrue();
            assertThat(status.contains(CapfStatus.LSC_FAILED)).isTrue();
            assertThat(store.identity().orElseThrow().lsc()).isEmpty();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void anLscForAnotherKeyIsNotInstalled() throws Exception {
        // A CAPF server the phone trusts (pinned) that answers the public key with a certificate for another key.
        KeyMaterial server = new CertificateIssuer(Map.of(), 8, clock, new SecureRandom())
                .selfSigned("CAPF-liar", 1024, CertificateIssuer.Profile.AUTHORITY);
        KeyMaterial wrong = new CertificateIssuer(Map.of(), 8, clock, new SecureRandom())
                .issuedBy(server, "SEP0011223344A1", 1024, CertificateIssuer.Profile.PHONE);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            var tls = SslContextBuilder.forServer(server.privateKey(), server.certificate()).build();
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()), new org.phoneemu.capf.wire.CapfMessageDecoder(),
                                    CapfMessageEncoder.INSTANCE, new io.netty.channel.SimpleChannelInboundHandler<CapfMessage>() {
                                        @Override
                                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                            if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                                                ctx.writeAndFlush(CapfMessage.authRequest(5, 3, 0));
                                            }
                                        }

                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, CapfMessage m) throws Exception {
                                            switch (m.opcode()) {
                                                case AUTH_RESPONSE -> ctx.writeAndFlush(CapfMessage.keyGenerateRsa(5, 1024));
                                                case REQUEST_IN_PROGRESS -> { }
                                                case KEY_GENERATE_RESPONSE -> ctx.writeAndFlush(CapfMessage.storeCertificateRequest(5,
                                                        wrong.certificate().getEncoded()));
                                                default -> ctx.writeAndFlush(CapfMessage.endSession(5, CapfReason.SUCCESS));
                                            }
                                        }
                                    });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            TrustStore store = phone("0011223344A1", "7970");
            byte[] pinned = server.certificate().getEncoded();
            ConsoleLog log = new ConsoleLog("x", clock);
            CapfOutcome o = CapfEnrollment.run(client, store, new StatusMessages(clock), log, (InetSocketAddress) listener.localAddress(),
                    "0011223344A1", CapfAuthMode.NULL_STRING, Optional.empty(), c -> {
                        try {
                            return java.util.Arrays.equals(c.getEncoded(), pinned);
                        } catch (Exception e) {
                            return false;
                        }
                    });
            assertThat(o).isInstanceOfSatisfying(CapfOutcome.Refused.class,
                    r -> assertThat(r.why()).isEqualTo(CapfOutcome.Why.BAD_CERTIFICATE));
            assertThat(log.contains("does not carry the key the phone generated")).isTrue();
            assertThat(Files.exists(store.directory().resolve(TrustStore.LSC))).isFalse();
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnreachableServerIsTriedThreeTimes() throws Exception {
        TrustStore store = phone("0011223344A1", "7970");
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        ConsoleLog log = new ConsoleLog("x", clock);
        StatusMessages status = new StatusMessages(clock);
        CapfOutcome o = CapfEnrollment.run(client, store, status, log, new InetSocketAddress("127.0.0.1", closedPort), "0011223344A1",
                CapfAuthMode.NULL_STRING, Optional.empty(), CapfEnrollment.trustListCheck(store));
        assertThat(o).isInstanceOfSatisfying(CapfOutcome.Unreachable.class, u -> {
            assertThat(u.failures()).hasSize(3);
            assertThat(u.exitCode()).isEqualTo(2);
        });
        assertThat(log.contains("try 3 of 3")).isTrue();
        assertThat(log.contains("CAPF certificate operation failed after 3 tries")).isTrue();
        assertThat(status.contains(CapfStatus.LSC_CONNECTION_FAILED)).isTrue();
    }

    @Test
    void theServerHoldsNoMoreSessionsThanItsCapAndDropsSilentClients() throws Exception {
        cluster.close();
        cluster = TestClusters.build(YAML, tmp.resolve("cluster2"), clock);
        cluster.capfServerOptions(new CapfServerOptions(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(10), 1, 1, 16 * 1024));
        cluster.start().join();
        capf = cluster.capfAddress("pub");
        TrustStore store = phone("0011223344A1", "7970");
        try (Socket idle = new Socket(capf.getAddress(), capf.getPort())) {
            // The silent client holds the only session (wait until the server has accepted it); the phone's is closed at once.
            var server = cluster.runtime(cluster.node("pub").id()).capf;
            long until = System.nanoTime() + 5_000_000_000L;
            while (server.openSessions() < 1 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(server.openSessions()).isEqualTo(1);
            CapfClient once = CapfClient.create(CapfClientOptions.DEFAULTS.withRetries(1, Duration.ZERO), clock);
            try {
                CapfOutcome o = CapfEnrollment.run(once, store, new StatusMessages(clock), new ConsoleLog("x", clock), capf,
                        "0011223344A1", CapfAuthMode.NULL_STRING, Optional.empty(), CapfEnrollment.trustListCheck(store));
                assertThat(o).isInstanceOf(CapfOutcome.Unreachable.class);
            } finally {
                once.close();
            }
            // The handshake deadline (500 ms) closes the silent client.
            idle.setSoTimeout(5000);
            InputStream in = idle.getInputStream();
            assertThat(readToEnd(in)).isTrue();
        }
        // With the slot free again, the phone enrols.
        long deadline = System.nanoTime() + 5_000_000_000L;
        CapfOutcome o;
        do {
            o = enroll(store, "0011223344A1", CapfAuthMode.NULL_STRING, Optional.empty(), new ConsoleLog("x", clock));
        } while (!(o instanceof CapfOutcome.Installed) && System.nanoTime() < deadline);
        assertThat(o).isInstanceOf(CapfOutcome.Installed.class);
    }

    @Test
    void oneAddressCannotTakeEveryCapfSessionAndOthersAreStillServed() throws Exception {
        cluster.close();
        cluster = TestClusters.build(YAML, tmp.resolve("cluster4"), clock);
        cluster.capfServerOptions(new CapfServerOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10), 3, 2, 16 * 1024));
        cluster.start().join();
        InetSocketAddress a = cluster.capfAddress("pub");
        java.util.List<Socket> open = new java.util.ArrayList<>();
        try {
            open.add(TestTls.connect(a, java.net.InetAddress.getByName("127.0.0.1")));
            open.add(TestTls.connect(a, java.net.InetAddress.getByName("127.0.0.1")));
            // A third session from 127.0.0.1 is closed as soon as it is accepted: no handshake.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> open.add(TestTls.connect(a, java.net.InetAddress.getByName("127.0.0.1"))))
                    .isInstanceOf(IOException.class);
            // Another address gets the CAPF certificate the ITL names.
            javax.net.ssl.SSLSocket other = TestTls.connect(a, java.net.InetAddress.getByName("127.0.0.5"));
            open.add(other);
            assertThat(TestTls.peer(other)).isEqualTo(cluster.capfCertificate());
            // Three are open: the cap in all turns a fourth address away too.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> open.add(TestTls.connect(a, java.net.InetAddress.getByName("127.0.0.6"))))
                    .isInstanceOf(IOException.class);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void aPhoneThatGoesSilentAfterTheHandshakeIsEndedAtTheRequestDeadline() throws Exception {
        cluster.close();
        cluster = TestClusters.build(YAML, tmp.resolve("cluster3"), clock);
        cluster.capfServerOptions(CapfServerOptions.DEFAULTS.withRequestTimeout(Duration.ofMillis(300)));
        cluster.start().join();
        InetSocketAddress a = cluster.capfAddress("pub");
        try (javax.net.ssl.SSLSocket s = TestTls.connect(a)) {
            assertThat(TestTls.peer(s)).isEqualTo(cluster.capfCertificate());
            InputStream in = s.getInputStream();
            byte[] hello = in.readNBytes(16);
            assertThat(hello[0]).isEqualTo((byte) 0x55);
            assertThat(hello[1]).as("AUTH_REQUEST").isEqualTo((byte) 0x01);
            // Silence: after 300 ms the server ends the session with reason 7 and hangs up.
            byte[] end = in.readNBytes(12);
            assertThat(end[1]).as("END_SESSION").isEqualTo((byte) 0x0f);
            assertThat(end[11]).as("reason").isEqualTo((byte) CapfReason.INVALID_ELEMENT.code());
            assertThat(end[2] == hello[2] && end[5] == hello[5]).as("same session id").isTrue();
            assertThat(readToEnd(in)).isTrue();
        }
    }

    private void restart(CapfServerOptions options, String dir) throws Exception {
        cluster.close();
        cluster = TestClusters.build(YAML, tmp.resolve(dir), clock);
        cluster.capfServerOptions(options);
        cluster.start().join();
        capf = cluster.capfAddress("pub");
        itl = cluster.file("pub", "ITLFile.tlv").orElseThrow();
    }

    @Test
    void anAuthenticationStringCannotBeGuessed() throws Exception {
        // Issue 26: 4,341 guesses at 575/s found a 4-digit string. Now 3 wrong strings lock the device for 30 minutes.
        restart(CapfServerOptions.DEFAULTS.withRequestTimeout(Duration.ofSeconds(5)).withAuthLimits(3, Duration.ofMinutes(30), Duration.ZERO),
                "cluster-guess");
        TrustStore store = phone("0011223344A2", "7970");
        Path lscFile = store.directory().resolve(TrustStore.LSC);
        for (String guess : new String[] {"1111", "2222", "3333"}) {
            assertThat(enroll(store, "0011223344A2", CapfAuthMode.AUTH_STRING, Optional.of(guess), new ConsoleLog("x", clock)))
                    .isInstanceOfSatisfying(CapfOutcome.Refused.class, r -> assertThat(r.serverReason()).hasValue(CapfReason.INVALID_ELEMENT.code()));
        }
        // Locked: even the right string is turned away (RETRY_LATER, longer than a phone waits), and nothing changes.
        ConsoleLog log = new ConsoleLog("x", clock);
        CapfOutcome locked = enroll(store, "0011223344A2", CapfAuthMode.AUTH_STRING, Optional.of("123456"), log);
        assertThat(locked).isInstanceOfSatisfying(CapfOutcome.Refused.class, r -> assertThat(r.why()).isEqualTo(CapfOutcome.Why.RETRY_LATER));
        assertThat(log.contains("asks to come back in")).isTrue();
        assertThat(Files.exists(lscFile)).isFalse();
        assertThat(cluster.enrolledLsc("0011223344A2")).isEmpty();
        // When the lock has run out, the right string works.
        clock.advance(Duration.ofMinutes(31));
        assertThat(enroll(store, "0011223344A2", CapfAuthMode.AUTH_STRING, Optional.of("123456"), new ConsoleLog("x", clock)))
                .isInstanceOf(CapfOutcome.Installed.class);
    }

    /** A hand-made phone's session: TLS done, the server's AUTH_REQUEST read. */
    private record Raw(javax.net.ssl.SSLSocket socket, InputStream in, long sessionId) implements AutoCloseable {
        void send(CapfMessage m) throws IOException {
            write(socket, m);
        }

        CapfMessage next() throws IOException {
            return read(in);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Raw raw() throws Exception {
        javax.net.ssl.SSLSocket s = TestTls.connect(capf);
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        CapfMessage hello = read(in);
        assertThat(hello.opcode()).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.AUTH_REQUEST);
        return new Raw(s, in, hello.sessionId());
    }

    private CapfMessage guess(Raw r, String device, String authString) throws IOException {
        r.send(CapfMessage.authResponse(r.sessionId(), 3, device, Optional.of(authString), Optional.empty()));
        return r.next();
    }

    @Test
    void theGuessBudgetIsPerDeviceWhateverTheCaseOfItsName() throws Exception {
        // Review: the budget was keyed on the name as sent, so each spelling of SEP0011223344A2 had its own.
        restart(CapfServerOptions.DEFAULTS.withRequestTimeout(Duration.ofSeconds(5)).withAuthLimits(3, Duration.ofMinutes(30), Duration.ZERO),
                "cluster-case");
        for (String name : new String[] {"sep0011223344a2", "Sep0011223344A2", "SEP0011223344a2"}) {
            try (Raw r = raw()) {
                assertThat(guess(r, name, "000000").reason()).hasValue(CapfReason.INVALID_ELEMENT.code());
            }
        }
        try (Raw r = raw()) {
            CapfMessage m = guess(r, "SEP0011223344A2", "123456");
            assertThat(m.opcode()).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.RETRY_LATER);
        }
    }

    @Test
    void parallelGuessingSessionsShareOneBudget() throws Exception {
        // A long delay keeps the guesses unanswered: the fourth session is locked out before any answer came back.
        restart(CapfServerOptions.DEFAULTS.withRequestTimeout(Duration.ofSeconds(5)).withAuthLimits(3, Duration.ofMinutes(30), Duration.ofMinutes(1)),
                "cluster-parallel");
        java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(3);
        cluster.onServiceLog(l -> {
            if (l.text().contains("authentication string received")) {
                taken.countDown();
            }
        });
        java.util.List<Raw> open = new java.util.ArrayList<>();
        try {
            for (String g : new String[] {"1", "2", "3"}) {
                Raw r = raw();
                open.add(r);
                r.send(CapfMessage.authResponse(r.sessionId(), 3, "SEP0011223344A2", Optional.of(g), Optional.empty()));
            }
            assertThat(taken.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            try (Raw r = raw()) {
                assertThat(guess(r, "sep0011223344a2", "123456").opcode()).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.RETRY_LATER);
            }
        } finally {
            for (Raw r : open) {
                r.close();
            }
        }
    }

    @Test
    void everyAuthenticationStringAnswerWaitsOnATimerWhileOtherSessionsAreServed() throws Exception {
        restart(CapfServerOptions.DEFAULTS.withRequestTimeout(Duration.ofSeconds(5)).withAuthLimits(3, Duration.ofMinutes(30), Duration.ofMinutes(1)),
                "cluster-delay");
        try (Raw right = raw(); Raw wrong = raw()) {
            right.send(CapfMessage.authResponse(right.sessionId(), 3, "SEP0011223344A2", Optional.of("123456"), Optional.empty()));
            wrong.send(CapfMessage.authResponse(wrong.sessionId(), 3, "SEP0011223344A2", Optional.of("654321"), Optional.empty()));
            // Meanwhile another phone enrols from start to end: the delays block no event loop.
            TrustStore store = phone("0011223344A1", "7970");
            assertThat(enroll(store, "0011223344A1", CapfAuthMode.NULL_STRING, Optional.empty(), new ConsoleLog("x", clock)))
                    .isInstanceOf(CapfOutcome.Installed.class);
            // Neither guess has been answered: the right one is not told apart by an early KEY_GENERATE_REQUEST.
            for (Raw r : new Raw[] {right, wrong}) {
                r.socket().setSoTimeout(300);
                org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class, () -> r.in().read());
            }
        }
    }

    @Test
    void aSessionEndedDuringTheDelayIsNotAnsweredAgain() throws Exception {
        // The session deadline falls inside the delay: one END_SESSION and one trace line, nothing when the delay ends.
        CapfServerOptions o = CapfServerOptions.DEFAULTS;
        restart(new CapfServerOptions(o.handshakeTimeout(), Duration.ofSeconds(5), Duration.ofMillis(300), o.maxConnections(),
                o.maxConnectionsPerClient(), o.maxMessageLength(), 3, Duration.ofMinutes(30), Duration.ofMillis(600)), "cluster-ended");
        java.util.concurrent.atomic.AtomicReference<String> prefix = new java.util.concurrent.atomic.AtomicReference<>("-");
        java.util.concurrent.CountDownLatch second = new java.util.concurrent.CountDownLatch(2);
        cluster.onServiceLog(l -> {
            if (l.text().startsWith(prefix.get()) && l.text().contains("END_SESSION")) {
                second.countDown();
            }
        });
        try (Raw r = raw()) {
            prefix.set("CAPF session " + r.sessionId() + " ");
            CapfMessage m = guess(r, "SEP0011223344A2", "000000");
            assertThat(m.opcode()).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.END_SESSION);
            assertThat(readToEnd(r.in())).isTrue();
        }
        // The delay ends 300 ms after the deadline; a second END_SESSION line would come then.
        assertThat(second.await(2, java.util.concurrent.TimeUnit.SECONDS)).as("a second END_SESSION").isFalse();
        assertThat(second.getCount()).isEqualTo(1);
    }

    @Test
    void aSoftphoneSpeakingVersionTwoIsServed() throws Exception {
        // test-vectors/capf tc 27: the published softphone capture answers VERSION 2 and names CSF123.
        try (Raw r = raw()) {
            byte[] tc27 = java.util.HexFormat.of().parseHex("5502000000070012070001020d00074353463132330001000101");
            byte[] id = java.nio.ByteBuffer.allocate(8).putLong(r.sessionId()).array();
            System.arraycopy(id, 4, tc27, 2, 4);
            r.socket().getOutputStream().write(tc27);
            r.socket().getOutputStream().flush();
            // Judged by its name (not a device of this cluster), not refused for its version.
            assertThat(r.next().reason()).hasValue(CapfReason.UNKNOWN_DEVICE.code());
        }
        try (Raw r = raw()) {
            r.send(CapfMessage.authResponse(r.sessionId(), 2, "SEP0011223344A1", Optional.empty(), Optional.empty()));
            assertThat(r.next().opcode()).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.KEY_GENERATE_REQUEST);
        }
        try (Raw r = raw()) {
            r.send(CapfMessage.authResponse(r.sessionId(), 4, "SEP0011223344A1", Optional.empty(), Optional.empty()));
            assertThat(r.next().reason()).hasValue(CapfReason.INVALID_ELEMENT.code());
        }
    }

    /** A hand-made phone: TLS, the AUTH_RESPONSE of {@code device}, then {@code key} as its public key; the server's answer. */
    private CapfMessage answerTo(String device, byte[] key) throws Exception {
        try (javax.net.ssl.SSLSocket s = TestTls.connect(capf)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            CapfMessage hello = read(in);
            assertThat(hello.opcode()).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.AUTH_REQUEST);
            write(s, CapfMessage.authResponse(hello.sessionId(), 3, device, Optional.empty(), Optional.empty()));
            CapfMessage keyRequest = read(in);
            assertThat(keyRequest.opcode()).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.KEY_GENERATE_REQUEST);
            write(s, CapfMessage.requestInProgress(hello.sessionId()));
            write(s, CapfMessage.keyGenerateResponse(hello.sessionId(), key));
            return read(in);
        }
    }

    private static CapfMessage read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(8);
        int len = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
        byte[] body = in.readNBytes(len);
        io.netty.channel.embedded.EmbeddedChannel ch = new io.netty.channel.embedded.EmbeddedChannel(new org.phoneemu.capf.wire.CapfMessageDecoder());
        ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(header, body));
        return ch.readInbound();
    }

    private static void write(Socket s, CapfMessage m) throws IOException {
        ByteBuf b = io.netty.buffer.Unpooled.buffer();
        CapfMessageEncoder.write(m, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        s.getOutputStream().write(out);
        s.getOutputStream().flush();
    }

    private static byte[] rsaSpki(java.math.BigInteger n, java.math.BigInteger e) throws IOException {
        return new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption, org.bouncycastle.asn1.DERNull.INSTANCE),
                new org.bouncycastle.asn1.pkcs.RSAPublicKey(n, e)).getEncoded();
    }

    private static byte[] ecSpki(String curve) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
        g.initialize(new java.security.spec.ECGenParameterSpec(curve));
        return g.generateKeyPair().getPublic().getEncoded();
    }

    @Test
    void theServerSignsOnlyAGoodKeyOfTheKindItAskedFor() throws Exception {
        // Issue 26: an even modulus, a huge exponent, secp256k1 and brainpoolP256r1 (for P-256) were signed.
        java.math.BigInteger n = ((RSAPublicKey) org.phoneemu.core.capf.LscKeySpec.rsa(1024).generate(new SecureRandom()).getPublic()).getModulus();
        java.math.BigInteger f4 = java.math.BigInteger.valueOf(65537);
        assertThat(answerTo("SEP0011223344A1", rsaSpki(n, f4)).opcode()).as("a good key is signed")
                .isEqualTo(org.phoneemu.capf.wire.CapfOpcode.STORE_CERTIFICATE_REQUEST);
        cluster.setCapfSettings("0011223344A1", cluster.capfSettings("0011223344A1").orElseThrow().withOperation(CapfOperation.INSTALL_UPGRADE));
        java.util.Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("even modulus", rsaSpki(n.clearBit(0), f4));
        bad.put("huge exponent", rsaSpki(n, java.math.BigInteger.ONE.shiftLeft(2000).add(java.math.BigInteger.ONE)));
        bad.put("exponent 1", rsaSpki(n, java.math.BigInteger.ONE));
        bad.put("even exponent", rsaSpki(n, java.math.BigInteger.valueOf(65536)));
        for (var e : bad.entrySet()) {
            CapfMessage answer = answerTo("SEP0011223344A1", e.getValue());
            assertThat(answer.opcode()).as(e.getKey()).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.END_SESSION);
            assertThat(answer.reason()).as(e.getKey()).hasValue(CapfReason.INVALID_ELEMENT.code());
        }
        for (String curve : new String[] {"secp256k1", "brainpoolP256r1", "secp384r1"}) {
            CapfMessage answer = answerTo("SEP0011223344A7", ecSpki(curve));
            assertThat(answer.opcode()).as(curve).isEqualTo(org.phoneemu.capf.wire.CapfOpcode.END_SESSION);
        }
        assertThat(answerTo("SEP0011223344A7", ecSpki("secp256r1")).opcode()).as("P-256 is signed")
                .isEqualTo(org.phoneemu.capf.wire.CapfOpcode.STORE_CERTIFICATE_REQUEST);
        assertThat(cluster.enrolledLsc("0011223344A7")).as("nothing recorded without the phone's confirmation").isEmpty();
    }

    @Test
    void byDefaultOneAddressHoldsOnlyAShareOfTheSessions() throws Exception {
        // Issue 26: 256 sessions held from one address refused every other phone.
        restart(CapfServerOptions.DEFAULTS, "cluster-share");
        int perAddress = CapfServerOptions.DEFAULTS.maxConnectionsPerClient();
        assertThat(perAddress).isLessThan(CapfServerOptions.DEFAULTS.maxConnections());
        java.util.List<Socket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < perAddress; i++) {
                open.add(TestTls.connect(capf, java.net.InetAddress.getByName("127.0.0.1")));
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> open.add(TestTls.connect(capf, java.net.InetAddress.getByName("127.0.0.1"))))
                    .isInstanceOf(IOException.class);
            javax.net.ssl.SSLSocket other = TestTls.connect(capf, java.net.InetAddress.getByName("127.0.0.7"));
            open.add(other);
            assertThat(TestTls.peer(other)).isEqualTo(cluster.capfCertificate());
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static boolean readToEnd(InputStream in) throws IOException {
        byte[] buf = new byte[1024];
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                return true;
            }
        }
    }
}
