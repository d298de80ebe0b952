package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTlsOffer;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.testing.RequiredPeer;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;

/**
 * An Authenticated phone's SIP-TLS is integrity only (docs/SIP.md §5): it offers TLS 1.2 with TLS_RSA_WITH_NULL_SHA and
 * nothing else, and registers with it to the simulated CallManager and to {@code openssl s_server} (an independent peer
 * that verifies its client certificate); an Encrypted phone still gets an encrypting suite from the same port. With
 * CI=true a missing openssl fails ({@link RequiredPeer}).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a safety net against a hang, not a speed check: a busy CI machine is slow
class AuthenticatedNullShaTest {
    static final String AUTHENTICATED = "00AABBCC0021";
    static final String ENCRYPTED = "00AABBCC0031";

    @TempDir
    static Path dir;
    static EventLoopGroup group;
    static Cluster cluster;
    static InstalledTrust clusterTrust;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        cluster = Cluster.builder().spec(ClusterSpec.parse("""
                        cluster: {name: nul, domain: lab.example, keySizes: {default: 1024}, mixedMode: true, ports: {tftp: 0, tvs: 0, https: 0}}
                        nodes: [{hostname: pub, address: 127.0.0.1}]
                        devices:
                          - {mac: "%s", model: 8851, lsc: true, securityMode: 2}
                          - {mac: "%s", model: 8851, lsc: true, securityMode: 3}
                        """.formatted(AUTHENTICATED, ENCRYPTED), null))
                .stateDirectory(dir.resolve("cluster")).clock(new VirtualClock(Instant.now())).freshState(true).mirrorFiles(false)
                .eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        clusterTrust = new InstalledTrust(Optional.of(TrustList.parse(cluster.file("pub", "CTLFile.tlv").orElseThrow(), TrustListKind.CTL)),
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

    static RegistrationOutcome register(String mac, InetSocketAddress at, InstalledTrust trust, KeyMaterial cert,
                                        DeviceSecurityMode mode, ConsoleLog log) throws Exception {
        SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock());
        return client.register(new SipRegistrationClient.Request(
                List.of(new CallManagerTarget(0, at.getAddress().getHostAddress(), at.getPort(), SipTransport.TLS)),
                new RegisterIdentity(new Mac(mac), new PhoneModel("8851"), "9.4.2"), Optional.of(cert),
                c -> SipServerTrust.isTrustedCallManager(trust, c), log, Optional.empty(), mode)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void anAuthenticatedPhoneRegistersToCallManagerWithNullSha() throws Exception {
        RegistrationOutcome o = register(AUTHENTICATED, cluster.sipAddress("pub", SipTransport.TLS).orElseThrow(), clusterTrust,
                cluster.deviceLsc(AUTHENTICATED).orElseThrow(), DeviceSecurityMode.AUTHENTICATED, new ConsoleLog("phone", cluster.clock()));
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                r -> assertThat(r.cipherSuite()).contains(SipTlsOffer.NULL_SHA));
        assertThat(o.summary()).endsWith("(TLS_RSA_WITH_NULL_SHA)");
    }

    @Test
    void anEncryptedPhoneGetsAnEncryptingSuiteFromTheSamePort() throws Exception {
        RegistrationOutcome o = register(ENCRYPTED, cluster.sipAddress("pub", SipTransport.TLS).orElseThrow(), clusterTrust,
                cluster.deviceLsc(ENCRYPTED).orElseThrow(), DeviceSecurityMode.ENCRYPTED, new ConsoleLog("phone", cluster.clock()));
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> {
            assertThat(r.cipherSuite()).isPresent();
            assertThat(SipTlsOffer.isNullCipher(r.cipherSuite().get())).as(r.cipherSuite().get()).isFalse();
        });
    }

    /** {@code openssl s_server}, NULL-SHA only, TLS 1.2, client certificate required and verified against the cluster's CAPF. */
    static final class NullShaServer implements AutoCloseable {
        final PeerProcess peer;
        final int port;

        NullShaServer(Path work, KeyMaterial key, java.security.cert.X509Certificate clientCa) throws Exception {
            Files.writeString(work.resolve("server.pem"), PemFiles.toPem(key.certificate()) + PemFiles.toPem(key.privateKey()));
            Files.writeString(work.resolve("ca.pem"), PemFiles.toPem(clientCa));
            port = PeerProcess.freeLoopbackPort();
            // -quiet: no commands read from stdin (a line starting with 'S' or 'Q' would be one), the SIP answer goes as is.
            peer = PeerProcess.start("openssl s_server", new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-quiet",
                    "-tls1_2", "-cipher", "NULL-SHA:@SECLEVEL=0", "-cert", work.resolve("server.pem").toString(),
                    "-Verify", "1", "-verify_return_error", "-CAfile", work.resolve("ca.pem").toString()), port);
        }

        String output() {
            return peer.output();
        }

        /** Answers the REGISTER it printed with a 200 carrying its Call-ID and CSeq, once it has arrived. */
        void answerRegister() throws Exception {
            peer.awaitOutput("\r\n\r\n", Duration.ofSeconds(60));
            String register = peer.output();
            String answer = "SIP/2.0 200 OK\r\n" + header(register, "Via") + header(register, "From")
                    + header(register, "To").replace("\r\n", ";tag=nul1\r\n") + header(register, "Call-ID") + header(register, "CSeq")
                    + "Expires: 3600\r\nContent-Length: 0\r\n\r\n";
            OutputStream in = peer.input();
            in.write(answer.getBytes(StandardCharsets.US_ASCII));
            in.flush();
        }

        static String header(String message, String name) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ": ?([^\r\n]*)\r?$").matcher(message);
            if (!m.find()) {
                throw new AssertionError("no " + name + " in what openssl received: " + message);
            }
            return name + ": " + m.group(1) + "\r\n";
        }

        @Override
        public void close() throws Exception {
            peer.close();
        }
    }

    static InstalledTrust ctlHolding(KeyMaterial callManager) throws Exception {
        KeyMaterial sast = TestPki.rsa("CN=SAST-nul,O=interop", 1024, 16);
        byte[] ctl = new TrustListBuilder(TrustListKind.CTL).addCertificate(Role.SAST, sast.certificate())
                .addCertificate(Role.CCM, callManager.certificate()).build(sast);
        return new InstalledTrust(Optional.of(TrustList.parse(ctl, TrustListKind.CTL)), Optional.empty());
    }

    @Test
    void anAuthenticatedPhoneRegistersToOpensslServingNullShaOnlyWithAVerifiedClientCertificate() throws Exception {
        RequiredPeer.requireProgram("openssl", "openssl", "/usr/bin/openssl");
        KeyMaterial server = TestPki.rsa("CN=openssl.lab.example,O=interop", 2048, 16);
        Path work = Files.createDirectories(dir.resolve("openssl-auth"));
        try (NullShaServer s = new NullShaServer(work, server, cluster.capfCertificate())) {
            ConsoleLog log = new ConsoleLog("phone", cluster.clock());
            var outcome = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return register(AUTHENTICATED, new InetSocketAddress("127.0.0.1", s.port), ctlHolding(server),
                            cluster.deviceLsc(AUTHENTICATED).orElseThrow(), DeviceSecurityMode.AUTHENTICATED, log);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            s.answerRegister();
            RegistrationOutcome o = outcome.get(60, TimeUnit.SECONDS);
            assertThat(s.output()).contains("REGISTER sip:", "+u.sip!devicename.ccm.cisco.com=\"SEP" + AUTHENTICATED + "\"");
            assertThat(o).as(s.output()).isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                    r -> assertThat(r.cipherSuite()).contains(SipTlsOffer.NULL_SHA));
        }
    }

    @Test
    void opensslRefusesAClientCertificateTheCapfDidNotIssue() throws Exception {
        RequiredPeer.requireProgram("openssl", "openssl", "/usr/bin/openssl");
        KeyMaterial server = TestPki.rsa("CN=openssl.lab.example,O=interop", 2048, 16);
        KeyMaterial stranger = TestPki.rsa("CN=SEP" + AUTHENTICATED + ",O=elsewhere", 2048, 16);
        Path work = Files.createDirectories(dir.resolve("openssl-stranger"));
        try (NullShaServer s = new NullShaServer(work, server, cluster.capfCertificate())) {
            RegistrationOutcome o = register(AUTHENTICATED, new InetSocketAddress("127.0.0.1", s.port), ctlHolding(server),
                    stranger, DeviceSecurityMode.AUTHENTICATED, new ConsoleLog("phone", cluster.clock()));
            assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                    .extracting(RegistrationOutcome.Attempt::failure)
                    .singleElement().isIn(RegistrationOutcome.AttemptFailure.TLS_FAILED, RegistrationOutcome.AttemptFailure.CONNECTION_CLOSED));
            assertThat(s.output()).doesNotContain("REGISTER");
        }
    }

    @Test
    void anEncryptedPhoneFindsNoCommonSuiteWithANullOnlyServer() throws Exception {
        RequiredPeer.requireProgram("openssl", "openssl", "/usr/bin/openssl");
        KeyMaterial server = TestPki.rsa("CN=openssl.lab.example,O=interop", 2048, 16);
        Path work = Files.createDirectories(dir.resolve("openssl-enc"));
        try (NullShaServer s = new NullShaServer(work, server, cluster.capfCertificate())) {
            RegistrationOutcome o = register(ENCRYPTED, new InetSocketAddress("127.0.0.1", s.port), ctlHolding(server),
                    cluster.deviceLsc(ENCRYPTED).orElseThrow(), DeviceSecurityMode.ENCRYPTED, new ConsoleLog("phone", cluster.clock()));
            // The JVM allows NULL suites, yet a context that does not name them never offers them.
            assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                    .extracting(RegistrationOutcome.Attempt::failure)
                    .singleElement().isIn(RegistrationOutcome.AttemptFailure.TLS_FAILED, RegistrationOutcome.AttemptFailure.CONNECTION_CLOSED));
            assertThat(s.output()).doesNotContain("REGISTER");
        }
    }
}
