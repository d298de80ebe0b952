package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.capf.client.CapfClient;
import org.phoneemu.capf.client.CapfClientOptions;
import org.phoneemu.capf.client.CapfEnrollment;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.wire.CapfMessage;
import org.phoneemu.capf.wire.CapfMessageDecoder;
import org.phoneemu.capf.wire.CapfMessageEncoder;
import org.phoneemu.capf.wire.CapfOpcode;
import org.phoneemu.capf.wire.CapfReason;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.cucm.pki.CertificateIssuer;

/**
 * The phone's CAPF client against a hostile CAPF server it trusts (issue 26): certificates it must not install, and
 * exchanges that break after the certificate was sent. In every case the flash keeps its LSC byte for byte and the
 * outcome is not "installed"; the last case shows the same server, behaving, gets its LSC installed.
 */
class CapfClientAttacksTest {
    private static final String MAC = "0011223344A1";
    private static final String DEVICE = "SEP" + MAC;

    @TempDir
    Path tmp;
    VirtualClock clock;
    CertificateIssuer issuer;
    KeyMaterial server;
    EventLoopGroup group;
    CapfClient client;
    final java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    /** Sessions that get RETRY_LATER (of this many seconds) instead of a key request, counted from the first. */
    int retryLaterSessions;
    int retryLaterSeconds = 1;

    @BeforeEach
    void start() {
        clock = TestClusters.clock();
        issuer = new CertificateIssuer(Map.of(), 8, clock, new SecureRandom());
        server = issuer.selfSigned("CAPF-hostile", 1024, CertificateIssuer.Profile.AUTHORITY);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        client = CapfClient.create(CapfClientOptions.DEFAULTS.withRetries(1, Duration.ZERO).withReadTimeout(Duration.ofSeconds(5)), clock);
    }

    @AfterEach
    void stop() {
        client.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** What the hostile server does once it has the phone's key: {@code (ctx, certificateFor(subject, ca))}. */
    private interface Script {
        void afterKey(ChannelHandlerContext ctx, PublicKey phoneKey) throws Exception;

        default void afterStoreResponse(ChannelHandlerContext ctx, CapfMessage m) {
            ctx.writeAndFlush(CapfMessage.endSession(5, CapfReason.SUCCESS));
        }
    }

    private X509Certificate certificate(PublicKey key, X500Name subject, boolean ca) throws Exception {
        X500Name issuerName = X500Name.getInstance(server.certificate().getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(new SecureRandom().nextInt(1 << 30)),
                Date.from(clock.instant().minusSeconds(3600)), Date.from(clock.instant().plus(Duration.ofDays(365))), subject, key);
        if (ca) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(server.privateKey())));
    }

    private byte[] store(PublicKey key, X500Name subject, boolean ca) throws Exception {
        return bytes(CapfMessage.storeCertificateRequest(5, certificate(key, subject, ca).getEncoded()));
    }

    private static byte[] bytes(CapfMessage m) {
        ByteBuf b = Unpooled.buffer();
        CapfMessageEncoder.write(m, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static final X500Name OWN = new X500Name("CN=" + DEVICE);

    private Channel hostile(Script script) throws Exception {
        var tls = SslContextBuilder.forServer(server.privateKey(), server.certificate()).build();
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int connection = connections.incrementAndGet();
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new CapfMessageDecoder(), CapfMessageEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<CapfMessage>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                                            ctx.writeAndFlush(CapfMessage.authRequest(5, 3, 0));
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, CapfMessage m) throws Exception {
                                        received.incrementAndGet();
                                        switch (m.opcode()) {
                                            case AUTH_RESPONSE -> ctx.writeAndFlush(connection <= retryLaterSessions
                                                    ? CapfMessage.retryLater(5, retryLaterSeconds) : CapfMessage.keyGenerateRsa(5, 1024));
                                            case KEY_GENERATE_RESPONSE -> script.afterKey(ctx, KeyFactory.getInstance("RSA")
                                                    .generatePublic(new X509EncodedKeySpec(m.publicKey().orElseThrow())));
                                            case STORE_CERTIFICATE_RESPONSE -> script.afterStoreResponse(ctx, m);
                                            default -> { }
                                        }
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private record Result(CapfOutcome outcome, byte[] lscBefore, byte[] lscAfter, ConsoleLog log) {
    }

    private Result run(Script script) throws Exception {
        Channel listener = hostile(script);
        try {
            TrustStore store = TrustStore.open(tmp.resolve("flash-" + System.nanoTime()), FileOps.system(), clock,
                    new ConsoleLog("x", clock), new StatusMessages(clock));
            KeyMaterial mic = issuer.selfSigned("CP-7970-" + DEVICE, 1024, CertificateIssuer.Profile.NODE);
            store.saveIdentity(new PhoneIdentity(mic, Optional.empty()));
            store.saveLsc(issuer.issuedBy(server, DEVICE, 1024, CertificateIssuer.Profile.PHONE));
            Path lsc = store.directory().resolve(TrustStore.LSC);
            byte[] before = Files.readAllBytes(lsc);
            byte[] pinned = server.certificate().getEncoded();
            ConsoleLog log = new ConsoleLog(DEVICE, clock);
            CapfOutcome o = CapfEnrollment.run(client, store, new StatusMessages(clock), log, (InetSocketAddress) listener.localAddress(),
                    MAC, CapfAuthMode.NULL_STRING, Optional.empty(), c -> {
                        try {
                            return Arrays.equals(c.getEncoded(), pinned);
                        } catch (Exception e) {
                            return false;
                        }
                    });
            return new Result(o, before, Files.readAllBytes(lsc), log);
        } finally {
            listener.close().sync();
        }
    }

    private static void refusedAndFlashUnchanged(Result r) {
        assertThat(r.outcome()).isNotInstanceOf(CapfOutcome.Installed.class);
        assertThat(r.outcome().exitCode()).isNotZero();
        assertThat(r.lscAfter()).as("lsc.pem byte for byte").isEqualTo(r.lscBefore());
    }

    @Test
    void anLscIssuedToAnotherDeviceIsRefused() throws Exception {
        Result r = run((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(store(key, new X500Name("CN=SEP0011223344A3"), false))));
        refusedAndFlashUnchanged(r);
        assertThat(r.outcome()).isInstanceOfSatisfying(CapfOutcome.Refused.class, x -> assertThat(x.why()).isEqualTo(CapfOutcome.Why.BAD_CERTIFICATE));
        assertThat(r.log().contains("not to this phone")).isTrue();
    }

    @Test
    void aCaCertificateIsRefused() throws Exception {
        Result r = run((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(store(key, OWN, true))));
        refusedAndFlashUnchanged(r);
        assertThat(r.log().contains("CA:TRUE")).isTrue();
    }

    @Test
    void aSubjectWithANewlineIsRefusedAndNeverPrintedRaw() throws Exception {
        X500Name forged = new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERUTF8String(DEVICE + "\n12:00:00 LSC: Installed"))});
        Result r = run((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(store(key, forged, false))));
        refusedAndFlashUnchanged(r);
        assertThat(r.log().contains("LSC refused")).isTrue();
        assertThat(r.log().lines()).allSatisfy(l -> assertThat(l.text()).doesNotContain("\n"));
    }

    @Test
    void storeAndEndSessionInOneWriteChangeNothing() throws Exception {
        Result r = run((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(concat(store(key, OWN, false),
                bytes(CapfMessage.endSession(5, CapfReason.SUCCESS))))));
        refusedAndFlashUnchanged(r);
    }

    @Test
    void storeFollowedByGarbageChangesNothing() throws Exception {
        Result r = run((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(concat(store(key, OWN, false), new byte[] {0x13, 0x37, 0, 0}))));
        refusedAndFlashUnchanged(r);
    }

    @Test
    void aSecondStoreChangesNothing() throws Exception {
        PublicKey[] key = new PublicKey[1];
        Result r = run(new Script() {
            @Override
            public void afterKey(ChannelHandlerContext ctx, PublicKey k) throws Exception {
                key[0] = k;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(store(k, OWN, false)));
            }

            @Override
            public void afterStoreResponse(ChannelHandlerContext ctx, CapfMessage m) {
                try {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(store(key[0], OWN, false)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        refusedAndFlashUnchanged(r);
    }

    @Test
    void aCloseBeforeTheServerConfirmsChangesNothing() throws Exception {
        Result r = run(new Script() {
            @Override
            public void afterKey(ChannelHandlerContext ctx, PublicKey k) throws Exception {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(store(k, OWN, false)));
            }

            @Override
            public void afterStoreResponse(ChannelHandlerContext ctx, CapfMessage m) {
                ctx.close();
            }
        });
        refusedAndFlashUnchanged(r);
        assertThat(r.outcome().exitCode()).isEqualTo(2);
    }

    @Test
    void aTrustDecisionThatThrowsSendsNothing() throws Exception {
        // The one gate (TrustGate) for TVS, HTTPS and CAPF: a decision that throws is no decision, as for HTTPS.
        Channel listener = hostile((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(store(key, OWN, false))));
        try {
            TrustStore store = TrustStore.open(tmp.resolve("flash"), FileOps.system(), clock, new ConsoleLog("x", clock), new StatusMessages(clock));
            store.saveIdentity(new PhoneIdentity(issuer.selfSigned("CP-7970-" + DEVICE, 1024, CertificateIssuer.Profile.NODE), Optional.empty()));
            CapfOutcome o = CapfEnrollment.run(client, store, new StatusMessages(clock), new ConsoleLog("x", clock),
                    (InetSocketAddress) listener.localAddress(), MAC, CapfAuthMode.NULL_STRING, Optional.empty(), c -> {
                        throw new IllegalStateException("the trust lists are being replaced");
                    });
            assertThat(o).isInstanceOfSatisfying(CapfOutcome.Refused.class, r -> assertThat(r.why()).isEqualTo(CapfOutcome.Why.DECISION_FAILED));
            assertThat(received.get()).as("CAPF messages the server received").isZero();
        } finally {
            listener.close().sync();
        }
    }

    @Test
    void aRetryLaterIsWaitedOutAndOneLongerThanThePhoneWaitsIsARefusal() throws Exception {
        client.close();
        client = CapfClient.create(CapfClientOptions.DEFAULTS.withRetries(3, Duration.ofMinutes(10)).withReadTimeout(Duration.ofSeconds(5))
                .withMaxRetryLater(Duration.ofSeconds(30)), clock);
        retryLaterSessions = 1;
        Result r = run((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(store(key, OWN, false))));
        // The second try came after the server's 1 s, not the 10 minutes between ordinary retries.
        assertThat(r.outcome()).isInstanceOfSatisfying(CapfOutcome.Installed.class, i -> assertThat(i.tries()).isEqualTo(2));
        assertThat(r.log().contains("asks to come back in 1 s")).isTrue();

        connections.set(0);
        retryLaterSeconds = 3600;
        Result late = run((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(store(key, OWN, false))));
        assertThat(late.outcome()).isInstanceOfSatisfying(CapfOutcome.Refused.class, x -> assertThat(x.why()).isEqualTo(CapfOutcome.Why.RETRY_LATER));
        assertThat(late.lscAfter()).isEqualTo(late.lscBefore());
    }

    @Test
    void theSameServerBehavingGetsItsLscInstalled() throws Exception {
        Result r = run((ctx, key) -> ctx.writeAndFlush(Unpooled.wrappedBuffer(store(key, OWN, false))));
        assertThat(r.outcome()).isInstanceOf(CapfOutcome.Installed.class);
        assertThat(r.lscAfter()).isNotEqualTo(r.lscBefore());
        assertThat(r.outcome().exitCode()).isZero();
    }
}
