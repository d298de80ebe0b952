package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.DigestAlgorithm;
import org.phoneemu.core.sip.DigestAuthorization;
import org.phoneemu.core.sip.DigestChallenge;
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.RegistrationPolicy;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.sip.codec.SipHeaders;
import org.phoneemu.sip.codec.SipLimits;
import org.phoneemu.sip.codec.SipMessage;
import org.phoneemu.sip.codec.SipMessageDecoder;
import org.phoneemu.sip.codec.SipMessageEncoder;
import org.phoneemu.tls.client.Ipv4;

/**
 * Digest authentication of REGISTER (docs/SIP.md §12) over loopback: the simulated registrar challenges a device whose
 * profile enables digest, the phone answers with the configuration's credentials on the same connection; a wrong
 * password and missing credentials end in a refusal that says so; a stale nonce is answered once more.
 */
class SipDigestRegistrationTest {
    static final String PLAIN = "0011223344D1";
    static final String SECURE = "0011223344D2";
    static final String YAML = """
            cluster: {name: digest, domain: lab.example, keySizes: {default: 1024}, mixedMode: true, ports: {tftp: 0, tvs: 0, https: 0}}
            nodes: [{hostname: pub, address: 127.0.0.1}]
            devices:
              - {mac: "%s", model: 7975, digest: {user: jdoe, password: "s3cret pass"}}
              - {mac: "%s", model: 7970, lsc: true, securityMode: 3, digest: {user: asmith, password: other}}
            """.formatted(PLAIN, SECURE);

    @TempDir
    static Path state;
    static EventLoopGroup group;
    static Cluster cluster;
    static InstalledTrust trust;
    static SipRegistrationClient client;
    static final List<String> trace = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(state).clock(new VirtualClock(
                java.time.Instant.now())).freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        cluster.onServiceLog(l -> trace.add(l.text()));
        trust = new InstalledTrust(Optional.of(TrustList.parse(cluster.file("pub", "CTLFile.tlv").orElseThrow(), TrustListKind.CTL)),
                Optional.empty());
        Function<String, CompletableFuture<Inet4Address>> lab = name -> name.equalsIgnoreCase("pub.lab.example")
                ? CompletableFuture.completedFuture((Inet4Address) cluster.nodes().get(0).address()) : Ipv4.resolve(name);
        client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(), lab);
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

    static PhoneConfig config(String mac) throws Exception {
        return PhoneConfigParser.parse(cluster.file("pub", "SEP" + mac + ".cnf.xml").orElseThrow());
    }

    static RegistrationOutcome register(String mac, String model, SipTransport transport, Optional<DigestCredentials> digest,
                                        ConsoleLog log) throws Exception {
        PhoneConfig config = config(mac);
        return client.register(new SipRegistrationClient.Request(RegistrationPolicy.targets(config.callManagers(), transport),
                new RegisterIdentity(new Mac(mac), new PhoneModel(model), "9.4.2"),
                transport == SipTransport.TLS ? cluster.deviceLsc(mac) : Optional.empty(),
                c -> SipServerTrust.isTrustedCallManager(trust, c), log, Optional.empty(), org.phoneemu.core.sip.DeviceSecurityMode.ENCRYPTED, digest)).get(30, TimeUnit.SECONDS);
    }

    static long registers(String device) {
        return trace.stream().filter(l -> l.startsWith("SIP REGISTER from") && l.contains(device)).count();
    }

    @Test
    void aDigestDeviceRegistersAfterTheChallengeWithTheCredentialsOfItsConfiguration() throws Exception {
        Optional<DigestCredentials> fromConfig = config(PLAIN).digestCredentials();
        assertThat(fromConfig).contains(new DigestCredentials("jdoe", "s3cret pass"));
        ConsoleLog log = new ConsoleLog("phone", cluster.clock());
        long before = registers("SEP" + PLAIN);
        RegistrationOutcome o = register(PLAIN, "7975", SipTransport.TCP, fromConfig, log);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> {
            assertThat(r.digestUser()).contains("jdoe");
            assertThat(r.summary()).isEqualTo("registered to pub.lab.example over TCP, expires 120 s, digest authentication as jdoe");
        });
        assertThat(log.contains("SIP: pub.lab.example asks for digest authentication (realm \"ccmsipline\"): sending the REGISTER again as jdoe"))
                .isTrue();
        assertThat(registers("SEP" + PLAIN) - before).isEqualTo(2);
        assertThat(trace).anySatisfy(l -> assertThat(l).contains("(SEP" + PLAIN + "): 401 Unauthorized, nonce issued (no digest credentials"));
        assertThat(trace).anySatisfy(l -> assertThat(l).contains("SEP" + PLAIN + " (digest user jdoe) registered"));
        assertThat(cluster.sipRegistrations("pub")).anySatisfy(r -> assertThat(r.deviceName()).isEqualTo("SEP" + PLAIN));
    }

    @Test
    void overTlsTheChallengeIsAnsweredOnTheSameConnection() throws Exception {
        ConsoleLog log = new ConsoleLog("phone", cluster.clock());
        RegistrationOutcome o = register(SECURE, "7970", SipTransport.TLS, config(SECURE).digestCredentials(), log);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> {
            assertThat(r.target().transport()).isEqualTo(SipTransport.TLS);
            assertThat(r.digestUser()).contains("asmith");
        });
        // One TLS handshake for both REGISTERs.
        assertThat(log.lines().stream().filter(l -> l.text().startsWith("SIP: registering to")).count()).isEqualTo(1);
        assertThat(log.lines().stream().filter(l -> l.text().startsWith("SECD: srvr_cert_vfy")).count()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsARefusalThatSaysTheCredentialsAreWrong() throws Exception {
        ConsoleLog log = new ConsoleLog("phone", cluster.clock());
        long before = registers("SEP" + PLAIN);
        RegistrationOutcome o = register(PLAIN, "7975", SipTransport.TCP, Optional.of(new DigestCredentials("jdoe", "wrong")), log);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).isEqualTo("Unauthorized: wrong digest credentials (CallManager refused user jdoe in realm \"ccmsipline\")");
        });
        assertThat(log.contains("SIP: pub.lab.example refused the registration: 401 Unauthorized: wrong digest credentials")).isTrue();
        // One answer, not a loop: the REGISTER and its answer, each challenged.
        assertThat(registers("SEP" + PLAIN) - before).isEqualTo(2);
        assertThat(trace).anySatisfy(l -> assertThat(l).contains("wrong digest response for user jdoe"));

        RegistrationOutcome unknown = register(PLAIN, "7975", SipTransport.TCP, Optional.of(new DigestCredentials("nobody", "s3cret pass")),
                new ConsoleLog("phone", cluster.clock()));
        assertThat(unknown).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> assertThat(r.reason()).contains("refused user nobody"));
        assertThat(trace).anySatisfy(l -> assertThat(l).contains("digest user nobody is not this device's (jdoe)"));
    }

    @Test
    void withoutCredentialsTheChallengeIsARefusalAsBefore() throws Exception {
        RegistrationOutcome o = register(PLAIN, "7975", SipTransport.TCP, Optional.empty(), new ConsoleLog("phone", cluster.clock()));
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).contains("CallManager asks for digest credentials (realm \"ccmsipline\") and the configuration has none");
        });
    }

    // ---- a stale nonce, from a scripted loopback registrar ----

    /** A registrar that challenges, then says the nonce is stale {@code staleAnswers} times, then accepts the right answer. */
    static Channel scripted(int staleAnswers, List<String> authorizations) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SipMessageDecoder(SipLimits.defaults()), SipMessageEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<SipMessage.Request>() {
                                    int seen;

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, SipMessage.Request r) {
                                        SipHeaders.Builder h = SipHeaders.builder();
                                        for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
                                            r.headers().all(name).forEach(v -> h.add(name, v));
                                        }
                                        r.header("Authorization").ifPresent(authorizations::add);
                                        int n = seen++;
                                        Optional<DigestAuthorization> a = r.header("Authorization").flatMap(DigestAuthorization::parse);
                                        if (n > staleAnswers && a.isPresent() && a.get().nonce().equals("nonce-" + (n - 1))
                                                && a.get().matches("pw", "REGISTER")) {
                                            ctx.writeAndFlush(new SipMessage.Response(200, "OK", h.add("Expires", "120").build(), null));
                                            return;
                                        }
                                        DigestChallenge c = new DigestChallenge("ccmsipline", "nonce-" + n, Optional.of("opq"),
                                                DigestAlgorithm.MD5, List.of("auth"), n > 0);
                                        ctx.writeAndFlush(new SipMessage.Response(401, "Unauthorized",
                                                h.add("WWW-Authenticate", c.headerValue()).build(), null));
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static RegistrationOutcome registerTo(Channel registrar, ConsoleLog log) throws Exception {
        int port = ((InetSocketAddress) registrar.localAddress()).getPort();
        return client.register(new SipRegistrationClient.Request(List.of(new CallManagerTarget(0, "127.0.0.1", port, SipTransport.TCP)),
                new RegisterIdentity(new Mac(PLAIN), new PhoneModel("7975"), "9.4.2"), Optional.empty(), c -> false, log,
                Optional.empty(), org.phoneemu.core.sip.DeviceSecurityMode.ENCRYPTED, Optional.of(new DigestCredentials("jdoe", "pw")))).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aStaleNonceIsAnsweredOnceMoreWithTheNewNonce() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        Channel registrar = scripted(1, authorizations);
        try {
            ConsoleLog log = new ConsoleLog("phone", cluster.clock());
            RegistrationOutcome o = registerTo(registrar, log);
            assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> assertThat(r.digestUser()).contains("jdoe"));
            assertThat(log.contains("SIP: 127.0.0.1 says the nonce is stale: sending the REGISTER again with the new nonce")).isTrue();
            assertThat(authorizations).hasSize(2);
            assertThat(authorizations.get(0)).contains("nonce=\"nonce-0\"", "qop=auth", "nc=00000001", "opaque=\"opq\"");
            assertThat(authorizations.get(1)).contains("nonce=\"nonce-1\"");
        } finally {
            registrar.close();
        }
    }

    @Test
    void aSecondStaleNonceIsARefusal() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        Channel registrar = scripted(2, authorizations);
        try {
            RegistrationOutcome o = registerTo(registrar, new ConsoleLog("phone", cluster.clock()));
            assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> assertThat(r.reason()).contains("wrong digest credentials"));
            assertThat(authorizations).hasSize(2);
        } finally {
            registrar.close();
        }
    }
}
