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
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTlsOffer;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.cucm.Cluster;

/**
 * Kamailio's TLS registrar with the cipher list of a CUCM secured SIP port in authenticated mode, {@code NULL-SHA} alone
 * over TLS 1.2 (docs/SIP.md §5): an Authenticated phone registers over it; an Encrypted phone, which never offers a NULL
 * suite, gets no connection. With CI=true a missing Kamailio fails ({@link KamailioRegistrar}).
 */
class SipKamailioNullShaTest {
    static final String PHONE = "00AABBCC0041";

    @TempDir
    static Path dir;
    static EventLoopGroup group;
    static Cluster cluster;
    static PeerProcess kamailio;
    static int port;
    static KeyMaterial server;

    @BeforeAll
    static void start() throws Exception {
        KamailioRegistrar.Installation installed = KamailioRegistrar.required();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        cluster = KamailioRegistrar.clusterIssuingLsc(dir.resolve("cluster"), "kamnul", PHONE, 2);
        server = TestPki.rsa("CN=kamailio.lab.example,O=interop", 2048, 16);
        kamailio = installed.start(dir.resolve("kamailio"), "registrar.cfg", server, Optional.of(cluster.capfCertificate()), cfg -> {
            String method = "modparam(\"tls\", \"tls_method\", \"TLSv1.2+\")";
            String register = "  if (is_method(\"REGISTER\")) {\n";
            assertThat(cfg).as("the registrar configuration this test narrows").contains(method, register);
            // OpenSSL 3 allows NULL suites only at security level 0.
            return cfg.replace(method, "modparam(\"tls\", \"tls_method\", \"TLSv1.2\")\nmodparam(\"tls\", \"cipher_list\", \"NULL-SHA:@SECLEVEL=0\")")
                    .replace(register, register + "    xlog(\"L_NOTICE\", \"REGISTER cipher $tls_cipher_info\\n\");\n");
        });
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

    static RegistrationOutcome register(DeviceSecurityMode mode) throws Exception {
        var trust = AuthenticatedNullShaTest.ctlHolding(server);
        SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock());
        return client.register(new SipRegistrationClient.Request(List.of(new CallManagerTarget(0, "127.0.0.1", port, SipTransport.TLS)),
                new RegisterIdentity(new Mac(PHONE), new PhoneModel("8851"), "9.4.2"), Optional.of(cluster.deviceLsc(PHONE).orElseThrow()),
                c -> SipServerTrust.isTrustedCallManager(trust, c), new ConsoleLog("phone", cluster.clock()), Optional.empty(), mode))
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void anAuthenticatedPhoneRegistersToKamailioOverNullSha() throws Exception {
        RegistrationOutcome o = register(DeviceSecurityMode.AUTHENTICATED);
        assertThat(o).as(kamailio.output()).isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                r -> assertThat(r.cipherSuite()).contains(SipTlsOffer.NULL_SHA));
        kamailio.awaitOutput("REGISTER cipher ", Duration.ofSeconds(30)); // logged after the "REGISTER over" line
        assertThat(kamailio.output()).contains("REGISTER cipher NULL-SHA", "REGISTER over tls from client certificate cn=SEP" + PHONE);
    }

    @Test
    void anEncryptedPhoneGetsNoConnectionFromANullOnlyKamailio() throws Exception {
        int before = kamailio.count("REGISTER over tls");
        RegistrationOutcome o = register(DeviceSecurityMode.ENCRYPTED);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                .extracting(RegistrationOutcome.Attempt::failure)
                .singleElement().isIn(RegistrationOutcome.AttemptFailure.TLS_FAILED, RegistrationOutcome.AttemptFailure.CONNECTION_CLOSED));
        assertThat(kamailio.count("REGISTER over tls")).isEqualTo(before);
    }
}
