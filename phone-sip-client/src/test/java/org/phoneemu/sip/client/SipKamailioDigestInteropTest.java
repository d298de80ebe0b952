package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.testing.RequiredPeer;
import org.phoneemu.core.testing.TestPki;

/**
 * Kamailio's auth module (Debian {@code kamailio}, {@code kamailio-tls-modules}) as an independent digest registrar over
 * TLS: it challenges every REGISTER ({@code www_challenge} with qop=auth) and checks the answer against the one user and
 * password of its configuration ({@code pv_www_authenticate}, no database). The phone registers after the challenge; a
 * wrong password ends in the refusal. With CI=true a missing Kamailio fails the test ({@link RequiredPeer}).
 */
class SipKamailioDigestInteropTest {
    static final String MAC = "00AABBCC00D1";
    static final DigestCredentials RIGHT = new DigestCredentials("jdoe", "Kam s3cret");

    @TempDir
    static Path dir;
    static EventLoopGroup group;
    static Process kamailio;
    static final StringBuffer kamailioLog = new StringBuffer();
    static int port;
    static KeyMaterial server;
    static VirtualClock clock = new VirtualClock(Instant.now());

    @BeforeAll
    static void start() throws Exception {
        Path binary = RequiredPeer.requireProgram("kamailio (Debian package kamailio)", "kamailio", "/usr/sbin/kamailio");
        Optional<Path> modules = SipKamailioInteropTest.moduleDirectory();
        RequiredPeer.require(modules.isPresent(), "Kamailio's TLS module (Debian package kamailio-tls-modules)");
        RequiredPeer.require(Files.exists(modules.get().resolve("auth.so")), "Kamailio's auth module (Debian package kamailio)");

        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = TestPki.rsa("CN=kamailio.lab.example,O=interop", 2048, 16);
        Path work = Files.createDirectories(dir.resolve("kamailio"));
        Files.writeString(work.resolve("server.pem"), PemFiles.toPem(server.certificate()));
        Files.writeString(work.resolve("server.key"), PemFiles.toPem(server.privateKey()));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String cfg;
        try (InputStream in = SipKamailioDigestInteropTest.class.getResourceAsStream("/kamailio/digest-registrar.cfg")) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        cfg = cfg.replace("@DIR@", work.toString()).replace("@PORT@", Integer.toString(port))
                .replace("@MPATH@", modules.get().toString() + "/").replace("@USER@", RIGHT.user()).replace("@PASSWORD@", RIGHT.password());
        Path config = work.resolve("digest-registrar.cfg");
        Files.writeString(config, cfg);
        kamailio = new ProcessBuilder(binary.toString(), "-f", config.toString(), "-DD", "-E", "-Y", work.toString(),
                "-P", work.resolve("kamailio.pid").toString(), "-w", work.toString())
                .redirectErrorStream(true).start();
        Thread pump = new Thread(() -> {
            try (InputStream in = kamailio.getInputStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    kamailioLog.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "kamailio-digest-output");
        pump.setDaemon(true);
        pump.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (!kamailio.isAlive()) {
                throw new AssertionError("kamailio exited with " + kamailio.exitValue() + ":\n" + kamailioLog);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("kamailio did not listen on " + port + " within 30 s:\n" + kamailioLog);
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kamailio != null) {
            kamailio.destroy();
            if (!kamailio.waitFor(10, TimeUnit.SECONDS)) {
                kamailio.destroyForcibly();
            }
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
        assertThat(o).as(kamailioLog.toString()).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, r -> {
            assertThat(r.target().transport()).isEqualTo(SipTransport.TLS);
            assertThat(r.digestUser()).contains("jdoe");
        });
        assertThat(log.contains("SIP: 127.0.0.1 asks for digest authentication (realm \"ccmsipline\"): sending the REGISTER again as jdoe"))
                .isTrue();
        assertThat(kamailioLog.toString()).contains("REGISTER authenticated as jdoe");
    }

    @Test
    void aWrongPasswordEndsInTheRefusal() throws Exception {
        ConsoleLog log = new ConsoleLog("phone", clock);
        RegistrationOutcome o = register(Optional.of(new DigestCredentials("jdoe", "wrong")), log);
        assertThat(o).as(kamailioLog.toString()).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).contains("wrong digest credentials (CallManager refused user jdoe in realm \"ccmsipline\")");
        });
        // One answer, not a loop: the phone answered Kamailio's first challenge only.
        assertThat(log.lines().stream().filter(l -> l.text().contains("asks for digest authentication")).count()).isEqualTo(1);
        // Kamailio checked (and challenged) the answer; its log reaches us through a pipe: wait for the line.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!kamailioLog.toString().contains("REGISTER challenged (user 'jdoe')") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(kamailioLog.toString()).contains("REGISTER challenged (user 'jdoe')");
    }

    @Test
    void withoutCredentialsKamailiosChallengeIsARefusal() throws Exception {
        RegistrationOutcome o = register(Optional.empty(), new ConsoleLog("phone", clock));
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> assertThat(r.reason()).contains("the configuration has none"));
    }
}
