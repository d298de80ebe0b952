package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTlsOffer;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.sip.RegistrarDirectory;
import org.phoneemu.cucm.sip.SipRegistrar;
import org.phoneemu.cucm.sip.SipRegistration;

/**
 * A renewal on a kept connection is judged again (docs/SIP.md §3): the connection carries it only while the phone's
 * security mode and client certificate are those it was opened with and CallManager's certificate of its current TLS
 * session passes the phone's trust rule of now; otherwise it is closed and a new connection is judged from scratch.
 * Loopback: the simulated cluster's registrar, and for the replaced certificate a registrar of the test's own.
 */
class KeptConnectionRecheckTest {
    static final String AUTHENTICATED = "0011223344A2";
    static final String DIGEST = "0011223344A3";
    static final String YAML = """
            cluster: {name: recheck, domain: lab.example, keySizes: {default: 1024}, mixedMode: true, ports: {tftp: 0, tvs: 0, https: 0}}
            nodes: [{hostname: pub, address: 127.0.0.1}]
            devices:
              - {mac: "%s", model: 8851, lsc: true, securityMode: 2}
              - {mac: "%s", model: 7975, digest: {user: jdoe, password: "s3cret pass"}}
            """.formatted(AUTHENTICATED, DIGEST);

    @TempDir
    static Path state;
    static EventLoopGroup group;
    static Cluster cluster;
    static InstalledTrust trust;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(state).clock(new VirtualClock(Instant.now()))
                .freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        trust = new InstalledTrust(Optional.of(TrustList.parse(cluster.file("pub", "CTLFile.tlv").orElseThrow(), TrustListKind.CTL)),
                Optional.empty());
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

    static SipRegistrationClient client() {
        return new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(),
                name -> CompletableFuture.completedFuture((Inet4Address) cluster.nodes().get(0).address()));
    }

    static CallManagerTarget pub(SipTransport transport) {
        return new CallManagerTarget(0, "pub.lab.example", cluster.sipAddress("pub", transport).orElseThrow().getPort(), transport);
    }

    static SipRegistrationClient.Request request(CallManagerTarget target, Optional<KeyMaterial> certificate,
                                                 Predicate<X509Certificate> trusted, ConsoleLog log, DeviceSecurityMode mode,
                                                 ConnectionUse use) {
        return new SipRegistrationClient.Request(List.of(target), new RegisterIdentity(new Mac(AUTHENTICATED), new PhoneModel("8851"), "9.4.2"),
                certificate, trusted, log, Optional.empty(), mode, use);
    }

    static Predicate<X509Certificate> clusterTrust() {
        return c -> SipServerTrust.isTrustedCallManager(trust, c);
    }

    @Test
    void aPhoneNowEncryptedDoesNotRenewOnTheNullShaConnectionItOpenedAsAuthenticated() throws Exception {
        SipRegistrationClient client = client();
        Optional<KeyMaterial> lsc = cluster.deviceLsc(AUTHENTICATED);
        RegistrationOutcome first = client.register(request(pub(SipTransport.TLS), lsc, clusterTrust(), new ConsoleLog("phone", cluster.clock()),
                DeviceSecurityMode.AUTHENTICATED, ConnectionUse.KEEP_NEW)).get(30, TimeUnit.SECONDS);
        assertThat(first).isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                r -> assertThat(r.cipherSuite()).contains(SipTlsOffer.NULL_SHA));
        assertThat(client.keptConnections()).isEqualTo(1);

        ConsoleLog renewal = new ConsoleLog("phone", cluster.clock());
        RegistrationOutcome second = client.register(request(pub(SipTransport.TLS), lsc, clusterTrust(), renewal,
                DeviceSecurityMode.ENCRYPTED, ConnectionUse.KEEP_REUSE)).get(30, TimeUnit.SECONDS);
        assertThat(second).isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                r -> assertThat(r.cipherSuite()).isPresent().get().isNotEqualTo(SipTlsOffer.NULL_SHA));
        assertThat(renewal.contains("SIP: not sending on the connection kept open to pub.lab.example:" + pub(SipTransport.TLS).port()
                + " (it was opened as AUTHENTICATED, the phone is now ENCRYPTED): closing it, opening a new one")).isTrue();
        assertThat(renewal.contains("SIP: registering to pub.lab.example")).as("a new connection").isTrue();
        assertThat(client.keptConnections()).isEqualTo(1);
        client.release("SEP" + AUTHENTICATED);
    }

    @Test
    void aRenewalToACallManagerThePhoneNoLongerTrustsIsNotSentOnTheKeptConnection() throws Exception {
        SipRegistrationClient client = client();
        Optional<KeyMaterial> lsc = cluster.deviceLsc(AUTHENTICATED);
        assertThat(client.register(request(pub(SipTransport.TLS), lsc, clusterTrust(), new ConsoleLog("phone", cluster.clock()),
                DeviceSecurityMode.AUTHENTICATED, ConnectionUse.KEEP_NEW)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);

        // New trust lists that no longer hold this CallManager's certificate.
        ConsoleLog renewal = new ConsoleLog("phone", cluster.clock());
        RegistrationOutcome o = client.register(request(pub(SipTransport.TLS), lsc, c -> false, renewal,
                DeviceSecurityMode.AUTHENTICATED, ConnectionUse.KEEP_REUSE)).get(30, TimeUnit.SECONDS);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                .singleElement().satisfies(a -> assertThat(a.failure()).isEqualTo(RegistrationOutcome.AttemptFailure.UNTRUSTED_CERTIFICATE)));
        assertThat(renewal.contains("(the phone no longer trusts ")).isTrue();
        assertThat(renewal.contains("on the open connection")).isFalse();
        assertThat(client.keptConnections()).isZero();
    }

    @Test
    void afterCapfReplacedTheLscTheRenewalOpensANewConnectionPresentingTheNewOne() throws Exception {
        KeyMaterial serverKey = TestPki.rsa("CN=own.lab.example,O=recheck", 1024, 16);
        KeyMaterial oldLsc = cluster.deviceLsc(AUTHENTICATED).orElseThrow();
        KeyMaterial newLsc = TestPki.rsa("CN=SEP" + AUTHENTICATED + ",O=recheck", 1024, 16);
        RegistrarDirectory clusters = cluster.registrarDirectory();
        // The cluster's directory, which also takes the test's stand-in for the LSC CAPF would have issued.
        RegistrarDirectory directory = new RegistrarDirectory() {
            @Override
            public Optional<DeviceSpec> device(String deviceName) {
                return clusters.device(deviceName);
            }

            @Override
            public boolean isDeviceCertificate(String deviceName, List<X509Certificate> chain) {
                return chain.get(0).equals(newLsc.certificate()) || clusters.isDeviceCertificate(deviceName, chain);
            }

            @Override
            public Instant now() {
                return clusters.now();
            }
        };
        SipRegistrar own = new SipRegistrar(group, "own", new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                () -> serverKey, directory, l -> { }, new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), 64, 16));
        InetSocketAddress[] bound = own.bind().get(10, TimeUnit.SECONDS);
        try {
            CallManagerTarget target = new CallManagerTarget(0, "own.lab.example", bound[1].getPort(), SipTransport.TLS);
            Predicate<X509Certificate> trusted = serverKey.certificate()::equals;
            SipRegistrationClient client = client();
            assertThat(client.register(request(target, Optional.of(oldLsc), trusted, new ConsoleLog("phone", cluster.clock()),
                    DeviceSecurityMode.AUTHENTICATED, ConnectionUse.KEEP_NEW)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(RegistrationOutcome.Registered.class);
            assertThat(registeredWith(own)).isEqualTo(oldLsc.certificate());
            assertThat(client.keptConnections()).isEqualTo(1);

            client.clientCertificateReplaced(oldLsc);
            assertThat(client.keptConnections()).as("the connection that presented the replaced LSC is closed").isZero();

            ConsoleLog renewal = new ConsoleLog("phone", cluster.clock());
            assertThat(client.register(request(target, Optional.of(newLsc), trusted, renewal, DeviceSecurityMode.AUTHENTICATED,
                    ConnectionUse.KEEP_REUSE)).get(30, TimeUnit.SECONDS)).isInstanceOf(RegistrationOutcome.Registered.class);
            assertThat(renewal.contains("SIP: registering to own.lab.example")).isTrue();
            assertThat(registeredWith(own)).isEqualTo(newLsc.certificate());
            client.release("SEP" + AUTHENTICATED);
        } finally {
            own.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKeptConnectionThatPresentedAnotherCertificateCarriesNoRenewalEvenUnreleased() throws Exception {
        // The same rule without CAPF's release: a request presenting another certificate opens its own connection.
        SipRegistrationClient client = client();
        Optional<KeyMaterial> lsc = cluster.deviceLsc(AUTHENTICATED);
        assertThat(client.register(request(pub(SipTransport.TLS), lsc, clusterTrust(), new ConsoleLog("phone", cluster.clock()),
                DeviceSecurityMode.AUTHENTICATED, ConnectionUse.KEEP_NEW)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(RegistrationOutcome.Registered.class);
        KeyMaterial other = TestPki.rsa("CN=SEP" + AUTHENTICATED + ",O=elsewhere", 1024, 16);
        ConsoleLog renewal = new ConsoleLog("phone", cluster.clock());
        RegistrationOutcome o = client.register(request(pub(SipTransport.TLS), Optional.of(other), clusterTrust(), renewal,
                DeviceSecurityMode.AUTHENTICATED, ConnectionUse.KEEP_REUSE)).get(30, TimeUnit.SECONDS);
        assertThat(renewal.contains("(it presented the phone's previous certificate): closing it, opening a new one")).isTrue();
        // The cluster's registrar judges that certificate on the new connection: not this device's.
        assertThat(o).isInstanceOf(RegistrationOutcome.Refused.class);
        client.release("SEP" + AUTHENTICATED);
    }

    @Test
    void aDigestDeviceRenewsTwiceOnItsKeptConnection() throws Exception {
        SipRegistrationClient client = client();
        Optional<DigestCredentials> digest = Optional.of(new DigestCredentials("jdoe", "s3cret pass"));
        for (ConnectionUse use : List.of(ConnectionUse.KEEP_NEW, ConnectionUse.KEEP_REUSE, ConnectionUse.KEEP_REUSE)) {
            ConsoleLog log = new ConsoleLog("phone", cluster.clock());
            RegistrationOutcome o = client.register(new SipRegistrationClient.Request(List.of(pub(SipTransport.TCP)),
                    new RegisterIdentity(new Mac(DIGEST), new PhoneModel("7975"), "9.4.2"), Optional.empty(), clusterTrust(), log,
                    Optional.empty(), DeviceSecurityMode.NON_SECURE, digest, use)).get(30, TimeUnit.SECONDS);
            assertThat(o).as("%s: %s", use, o.summary()).isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                    r -> assertThat(r.digestUser()).contains("jdoe"));
            assertThat(log.contains("on the open connection")).as("%s on the kept connection", use).isEqualTo(use == ConnectionUse.KEEP_REUSE);
        }
        client.release("SEP" + DIGEST);
    }

    static X509Certificate registeredWith(SipRegistrar registrar) {
        return registrar.registrations().of("SEP" + AUTHENTICATED).flatMap(SipRegistration::clientCertificate).orElseThrow();
    }
}
