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
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTlsOffer;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.testing.RequiredPeer;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;

/**
 * Kamailio's TLS registrar with the cipher list of a CUCM secured SIP port in authenticated mode, {@code NULL-SHA} alone
 * over TLS 1.2 (docs/SIP.md §5): an Authenticated phone registers over it; an Encrypted phone, which never offers a NULL
 * suite, gets no connection. With CI=true a missing Kamailio fails ({@link RequiredPeer}).
 */
class SipKamailioNullShaTest {
    static final String PHONE = "00AABBCC0041";

    @TempDir
    static Path dir;
    static EventLoopGroup group;
    static Cluster cluster;
    static Process kamailio;
    static final StringBuffer kamailioLog = new StringBuffer();
    static int port;
    static KeyMaterial server;

    @BeforeAll
    static void start() throws Exception {
        Path binary = RequiredPeer.requireProgram("kamailio (Debian package kamailio)", "kamailio", "/usr/sbin/kamailio");
        Optional<Path> modules = SipKamailioInteropTest.moduleDirectory();
        RequiredPeer.require(modules.isPresent(), "Kamailio's TLS module (Debian package kamailio-tls-modules)");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        cluster = Cluster.builder().spec(ClusterSpec.parse("""
                        cluster: {name: kamnul, domain: lab.example, ports: {tftp: 0, tvs: 0, https: 0}}
                        nodes: [{hostname: pub, address: 127.0.0.1}]
                        devices: [{mac: "%s", lsc: true, securityMode: 2}]
                        """.formatted(PHONE), null))
                .stateDirectory(dir.resolve("cluster")).clock(new VirtualClock(Instant.now())).freshState(true).mirrorFiles(false)
                .build();
        server = TestPki.rsa("CN=kamailio.lab.example,O=interop", 2048, 16);
        Path work = Files.createDirectories(dir.resolve("kamailio"));
        Files.writeString(work.resolve("server.pem"), PemFiles.toPem(server.certificate()));
        Files.writeString(work.resolve("server.key"), PemFiles.toPem(server.privateKey()));
        Files.writeString(work.resolve("ca.pem"), PemFiles.toPem(cluster.capfCertificate()));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String cfg;
        try (InputStream in = SipKamailioNullShaTest.class.getResourceAsStream("/kamailio/registrar.cfg")) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String method = "modparam(\"tls\", \"tls_method\", \"TLSv1.2+\")";
        String register = "  if (is_method(\"REGISTER\")) {\n";
        assertThat(cfg).as("the registrar configuration this test narrows").contains(method, register);
        // OpenSSL 3 allows NULL suites only at security level 0.
        cfg = cfg.replace(method, "modparam(\"tls\", \"tls_method\", \"TLSv1.2\")\nmodparam(\"tls\", \"cipher_list\", \"NULL-SHA:@SECLEVEL=0\")")
                .replace(register, register + "    xlog(\"L_NOTICE\", \"REGISTER cipher $tls_cipher_info\\n\");\n")
                .replace("@DIR@", work.toString()).replace("@PORT@", Integer.toString(port))
                .replace("@MPATH@", modules.get().toString() + "/");
        Path config = work.resolve("registrar.cfg");
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
        }, "kamailio-output");
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
        assertThat(o).as(kamailioLog.toString()).isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                r -> assertThat(r.cipherSuite()).contains(SipTlsOffer.NULL_SHA));
        assertThat(kamailioLog.toString()).contains("REGISTER cipher NULL-SHA", "REGISTER over tls from client certificate cn=SEP" + PHONE);
    }

    @Test
    void anEncryptedPhoneGetsNoConnectionFromANullOnlyKamailio() throws Exception {
        int before = SipKamailioInteropTest.count(kamailioLog.toString(), "REGISTER over tls");
        RegistrationOutcome o = register(DeviceSecurityMode.ENCRYPTED);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                .extracting(RegistrationOutcome.Attempt::failure)
                .singleElement().isIn(RegistrationOutcome.AttemptFailure.TLS_FAILED, RegistrationOutcome.AttemptFailure.CONNECTION_CLOSED));
        assertThat(SipKamailioInteropTest.count(kamailioLog.toString(), "REGISTER over tls")).isEqualTo(before);
    }
}
