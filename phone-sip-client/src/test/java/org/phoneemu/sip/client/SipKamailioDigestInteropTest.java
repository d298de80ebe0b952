package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.testing.TestPki;

/**
 * Kamailio's auth module (Debian {@code kamailio}, {@code kamailio-tls-modules}) as an independent digest registrar over
 * TLS: it challenges every REGISTER ({@code www_challenge} with qop=auth) and checks the answer against the one user and
 * password of its configuration ({@code pv_www_authenticate}, no database). The phone registers after the challenge; a
 * wrong password ends in the refusal. With CI=true a missing Kamailio fails the test ({@link KamailioRegistrar}).
 */
class SipKamailioDigestInteropTest {
    static final String MAC = "00AABBCC00D1";
    static final DigestCredentials RIGHT = new DigestCredentials("jdoe", "Kam s3cret");

    @TempDir
    static Path dir;
    static EventLoopGroup group;
    static PeerProcess kamailio;
    static int port;
    static KeyMaterial server;
    static VirtualClock clock = new VirtualClock(Instant.now());

    @BeforeAll
    static void start() throws Exception {
        KamailioRegistrar.Installation installed = KamailioRegistrar.required("auth.so");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = TestPki.rsa("CN=kamailio.lab.example,O=interop", 2048, 16);
        kamailio = installed.start(dir.resolve("kamailio"), "digest-registrar.cfg", server, Optional.empty(),
                cfg -> cfg.replace("@USER@", RIGHT.user()).replace("@PASSWORD@", RIGHT.password()));
        port = kamailio.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kamailio != null) {
            kamailio.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static RegistrationOutcome register(Optional<DigestCredentials> credentials, ConsoleLog log) throws Exception {
        SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, clock);
        return client.register(new SipRegistrationClient.Request(List.of(new CallManagerTarget(0, "127.0.0.1", port, SipTransport.TLS)),
                new RegisterIdentity(new Mac(MAC), new PhoneModel("7970"), "9.4.2"), Optional.empty(),
                c -> c.equals(server.certificate()), log, Optional.empty(), org.phoneemu.core.sip.DeviceSecurityMode.ENCRYPTED, credentials)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void thePhoneRegistersToKamailioAfterItsDigestChallenge() throws Exception {
        ConsoleLog log = new ConsoleLog("phone", clock);
        RegistrationOutcome o = register(Optional.of(RIGHT), log);
        assertThat(o).as(kamailio.output()).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> {
            assertThat(r.target().transport()).isEqualTo(SipTransport.TLS);
            assertThat(r.digestUser()).contains("jdoe");
        });
        assertThat(log.contains("SIP: 127.0.0.1 asks for digest authentication (realm \"ccmsipline\"): sending the REGISTER again as jdoe"))
                .isTrue();
        kamailio.awaitOutput("REGISTER authenticated as jdoe", Duration.ofSeconds(30));
        assertThat(kamailio.output()).contains("REGISTER authenticated as jdoe");
    }

    @Test
    void aWrongPasswordEndsInTheRefusal() throws Exception {
        ConsoleLog log = new ConsoleLog("phone", clock);
        RegistrationOutcome o = register(Optional.of(new DigestCredentials("jdoe", "wrong")), log);
        assertThat(o).as(kamailio.output()).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).contains("wrong digest credentials (CallManager refused user jdoe in realm \"ccmsipline\")");
        });
        // One answer, not a loop: the phone answered Kamailio's first challenge only.
        assertThat(log.lines().stream().filter(l -> l.text().contains("asks for digest authentication")).count()).isEqualTo(1);
        // Kamailio checked (and challenged) the answer; its log reaches us through a pipe: wait for the line.
        kamailio.awaitOutput("REGISTER challenged (user 'jdoe')", Duration.ofSeconds(10));
        assertThat(kamailio.output()).contains("REGISTER challenged (user 'jdoe')");
    }

    @Test
    void withoutCredentialsKamailiosChallengeIsARefusal() throws Exception {
        RegistrationOutcome o = register(Optional.empty(), new ConsoleLog("phone", clock));
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> assertThat(r.reason()).contains("the configuration has none"));
    }
}
