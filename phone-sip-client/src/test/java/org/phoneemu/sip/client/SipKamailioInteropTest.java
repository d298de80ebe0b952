package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.Cluster;

/**
 * Kamailio (Debian {@code kamailio}, {@code kamailio-tls-modules}) as an independent TLS registrar that requires and
 * verifies client certificates: the phone registers with an LSC issued by the simulated cluster's CAPF; a client
 * certificate Kamailio's CA list lacks is refused by Kamailio; a Kamailio certificate the phone's CTL lacks gets no
 * REGISTER. With CI=true a missing Kamailio fails the test ({@link KamailioRegistrar}).
 */
class SipKamailioInteropTest {
    static final String LSC_PHONE = "00AABBCC0001";
    static final String MIC_PHONE = "00AABBCC0002";

    @TempDir
    static Path dir;
    static EventLoopGroup group;
    static Cluster cluster;
    static PeerProcess kamailio;
    static int port;
    static KeyMaterial server;
    static KeyMaterial sast;

    @BeforeAll
    static void start() throws Exception {
        KamailioRegistrar.Installation installed = KamailioRegistrar.required();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        cluster = KamailioRegistrar.clusterIssuingLsc(dir.resolve("cluster"), "kam", LSC_PHONE, 3);

        server = TestPki.rsa("CN=kamailio.lab.example,O=interop", 2048, 16);
        sast = TestPki.rsa("CN=SAST-interop,O=interop", 1024, 16);
        // Kamailio trusts the certificates the cluster's CAPF issued, and nothing else.
        kamailio = installed.start(dir.resolve("kamailio"), "registrar.cfg", server, Optional.of(cluster.capfCertificate()), cfg -> cfg);
        port = kamailio.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kamailio != null) {
            kamailio.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static InstalledTrust ctlHolding(KeyMaterial callManager) throws Exception {
        byte[] ctl = new TrustListBuilder(TrustListKind.CTL).addCertificate(Role.SAST, sast.certificate())
                .addCertificate(Role.CCM, callManager.certificate()).build(sast);
        return new InstalledTrust(Optional.of(TrustList.parse(ctl, TrustListKind.CTL)), Optional.empty());
    }

    static RegistrationOutcome register(String mac, InstalledTrust trust, KeyMaterial clientCertificate) throws Exception {
        SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock());
        return client.register(new SipRegistrationClient.Request(List.of(new CallManagerTarget(0, "127.0.0.1", port, SipTransport.TLS)),
                new RegisterIdentity(new Mac(mac), new PhoneModel("7970"), "9.4.2"), Optional.of(clientCertificate),
                c -> SipServerTrust.isTrustedCallManager(trust, c), new ConsoleLog("phone", cluster.clock()))).get(30, TimeUnit.SECONDS);
    }

    @Test
    void thePhoneRegistersToKamailioWithAnLscIssuedByTheSimulatedCapf() throws Exception {
        KeyMaterial lsc = cluster.deviceLsc(LSC_PHONE).orElseThrow();
        RegistrationOutcome o = register(LSC_PHONE, ctlHolding(server), lsc);
        assertThat(o).as(kamailio.output()).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> {
            assertThat(r.target().transport()).isEqualTo(SipTransport.TLS);
            assertThat(r.expiresSeconds()).isEqualTo(3600);
        });
        kamailio.awaitOutput("REGISTER over tls from client certificate cn=SEP" + LSC_PHONE, Duration.ofSeconds(30));
        assertThat(kamailio.output()).contains("REGISTER over tls from client certificate cn=SEP" + LSC_PHONE);
    }

    @Test
    void thePhoneRenewsOnTheTlsConnectionItKeptOpenToKamailio() throws Exception {
        KeyMaterial lsc = cluster.deviceLsc(LSC_PHONE).orElseThrow();
        InstalledTrust trust = ctlHolding(server);
        SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock());
        List<CallManagerTarget> targets = List.of(new CallManagerTarget(0, "127.0.0.1", port, SipTransport.TLS));
        RegisterIdentity id = new RegisterIdentity(new Mac(LSC_PHONE), new PhoneModel("7970"), "9.4.2");
        int before = kamailio.count("cn=SEP" + LSC_PHONE + " on connection");
        ConsoleLog log = new ConsoleLog("phone", cluster.clock());
        for (ConnectionUse use : List.of(ConnectionUse.KEEP_NEW, ConnectionUse.KEEP_REUSE)) {
            assertThat(client.register(new SipRegistrationClient.Request(targets, id, Optional.of(lsc),
                    c -> SipServerTrust.isTrustedCallManager(trust, c), log, Optional.empty(), use)).get(30, TimeUnit.SECONDS))
                    .as(kamailio.output()).isInstanceOf(RegistrationOutcome.Registered.class);
        }
        assertThat(log.contains("SIP: REGISTER sent to 127.0.0.1:" + port + " on the open connection")).isTrue();
        kamailio.awaitCount("cn=SEP" + LSC_PHONE + " on connection", before + 2, Duration.ofSeconds(30));
        // Kamailio logs each REGISTER with the connection's source address and port, and its CSeq: one connection, next CSeq.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cn=SEP" + LSC_PHONE + " on connection (\\S+) cseq (\\d+)")
                .matcher(kamailio.output());
        List<String[]> seen = new java.util.ArrayList<>();
        while (m.find()) {
            seen.add(new String[] {m.group(1), m.group(2)});
        }
        assertThat(seen).hasSize(before + 2);
        String[] first = seen.get(before);
        String[] second = seen.get(before + 1);
        assertThat(second[0]).as("the same TLS connection").isEqualTo(first[0]);
        assertThat(Long.parseLong(second[1])).isEqualTo(Long.parseLong(first[1]) + 1);
        client.release("SEP" + LSC_PHONE);
    }

    @Test
    void kamailioRefusesAClientCertificateItsCaListLacks() throws Exception {
        KeyMaterial mic = TestPki.rsa("CN=CP-7970-SEP" + MIC_PHONE + ",O=Cisco Systems Inc.", 2048, 16);
        RegistrationOutcome o = register(MIC_PHONE, ctlHolding(server), mic);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                .extracting(RegistrationOutcome.Attempt::failure)
                .singleElement().isIn(RegistrationOutcome.AttemptFailure.TLS_FAILED, RegistrationOutcome.AttemptFailure.CONNECTION_CLOSED));
        assertThat(kamailio.output()).doesNotContain("cn=CP-7970-SEP" + MIC_PHONE);
    }

    @Test
    void aKamailioCertificateTheCtlLacksGetsNoRegister() throws Exception {
        KeyMaterial lsc = cluster.deviceLsc(LSC_PHONE).orElseThrow();
        KeyMaterial someOtherCallManager = TestPki.rsa("CN=kamailio.lab.example,O=interop", 1024, 16);
        int before = kamailio.count("REGISTER over tls");
        RegistrationOutcome o = register(LSC_PHONE, ctlHolding(someOtherCallManager), lsc);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.anyUntrusted()).isTrue());
        // The certificate is judged right after the handshake; had a REGISTER been written, Kamailio would log it.
        assertThat(register(LSC_PHONE, ctlHolding(server), lsc)).isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(kamailio.awaitCount("REGISTER over tls", before + 1, Duration.ofSeconds(30))).isEqualTo(before + 1);
    }
}
