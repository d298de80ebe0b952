package org.phoneemu.tvs.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phoneemu.tvs.testing.Fixtures.assertInOrder;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.https.HttpsCertificateCheck;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.tvs.TvsCache;
import org.phoneemu.tvs.client.TvsClient;
import org.phoneemu.tvs.client.TvsClientOptions;
import org.phoneemu.tvs.client.TvsOutcome;
import org.phoneemu.tvs.client.TvsServer;
import org.phoneemu.tvs.testing.Fixtures;
import org.phoneemu.tvs.testing.OpenSslServer;
import org.phoneemu.tvs.testing.TestTvsServer;

/**
 * The HTTPS check against an independent TLS stack: {@code openssl s_server -WWW} with the cluster's tomcat
 * certificate. Skipped when openssl is missing, except with CI=true where that fails.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a safety net against a hang, not a speed check: a busy CI machine is slow
class OpenSslHttpsTest {
    private static final String DEVICE = "CP-7970-SEP001122334455";
    @TempDir
    static Path webRoot;
    private static OpenSslServer openssl;
    private static EventLoopGroup group;
    private static KeyMaterial tomcat;

    private final ConsoleLog log = Fixtures.log();

    @BeforeAll
    static void startOpenssl() throws Exception {
        OpenSslServer.requireOpenssl();
        Files.writeString(webRoot.resolve("allowed.txt"), "hello from openssl\n");
        Files.writeString(webRoot.resolve("refused.txt"), "must never be served\n");
        Files.writeString(webRoot.resolve("via-tvs.txt"), "directory via TVS\n");
        Files.writeString(webRoot.resolve("tvs-says-no.txt"), "must never be served either\n");
        openssl = OpenSslServer.start(Vectors.interop("certs/tomcat.pem"), webRoot);
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        tomcat = Fixtures.pem("tomcat.pem");
    }

    @AfterAll
    static void stop() throws Exception {
        if (openssl != null) {
            openssl.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static URI url(String file) {
        return URI.create("https://127.0.0.1:" + openssl.port() + "/" + file);
    }

    private HttpsResult get(String file, HttpsCertificateDecider decider) throws Exception {
        return new PhoneHttpsClient(group, HttpsOptions.DEFAULTS).get(url(file), decider, log).get(30, TimeUnit.SECONDS);
    }

    @Test
    void refusedServerNeverSeesTheRequest() throws Exception {
        HttpsResult r = get("refused.txt", (cert, server) -> CompletableFuture.completedFuture(false));
        assertThat(r).isInstanceOfSatisfying(HttpsResult.Refused.class,
                ref -> assertThat(ref.serverCertificate()).isEqualTo(tomcat.certificate()));
        Thread.sleep(300);
        assertThat(openssl.output()).doesNotContain("FILE:refused.txt");
        assertInOrder(log,
                "SECD: clpSetupSsl: Trying to connect to IPV4, IP: 127.0.0.1, Port : " + openssl.port(),
                "SECD: clpSetupSsl: TCP connect() waiting, <127.0.0.1> c:",
                "SECD: clpSetupSsl: TCP connected, <127.0.0.1> c:",
                "SECD: clpSetupSsl: start SSL/TLS handshake, <127.0.0.1> c:",
                "SECD: srvr_cert_vfy: Server Certificate Validation needs to be done");
    }

    @Test
    void allowedServerReturnsTheFile() throws Exception {
        HttpsResult r = get("allowed.txt", (cert, server) -> CompletableFuture.completedFuture(cert.equals(tomcat.certificate())));
        assertThat(r).isInstanceOfSatisfying(HttpsResult.Ok.class, ok -> {
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.bodyText()).isEqualTo("hello from openssl\n");
        });
        assertThat(openssl.awaitOutput("FILE:allowed.txt")).contains("FILE:allowed.txt");
    }

    /** The phone's full check: CTL, ITL and cache miss (phone-core's lines), then TVS vouches, then the cache. */
    @Test
    void phoneCoreCheckFallsBackToTvsThenCaches() throws Exception {
        try (TestTvsServer tvs = TestTvsServer.standard(Fixtures.pem("tvs.pem"), Map.of(tomcat.certificate(), List.of(7)))) {
            TvsCache cache = new TvsCache(Clock.systemUTC());
            HttpsCertificateCheck check = new HttpsCertificateCheck(log, cache);
            InstalledTrust trust = new InstalledTrust(Optional.empty(), Optional.of(Fixtures.itl()));
            TvsClient tvsClient = new TvsClient(group, TvsClientOptions.DEFAULTS, log);
            HttpsCertificateDecider decider = phoneCheck(check, trust,
                    tvsClient.verifier(() -> List.of(new TvsServer("127.0.0.1", tvs.port())), DEVICE,
                            Fixtures.itlTvsRecords(), Optional.empty(), log));

            HttpsResult first = get("via-tvs.txt", decider);
            assertThat(first).isInstanceOfSatisfying(HttpsResult.Ok.class,
                    ok -> assertThat(ok.bodyText()).isEqualTo("directory via TVS\n"));
            HttpsResult second = get("via-tvs.txt", decider);
            assertThat(second).isInstanceOf(HttpsResult.Ok.class);
            assertThat(tvs.requests()).as("the second GET is allowed from the TVS cache").hasSize(1);
            assertInOrder(log,
                    "SECD: clpSetupSsl: start SSL/TLS handshake, <127.0.0.1> c:",
                    "SECD: srvr_cert_vfy: Server Certificate Validation needs to be done",
                    "SECD: findByCertAndRoleInTL: Searching TL from CTL file",
                    "SECD: findByCertAndRoleInTL: Searching TL from ITL file",
                    "SECD: EROR:https_cert_vfy: HTTPS cert not in CTL, <127.0.0.1>",
                    "SECD: lookupAuthCertTvsCacheEntry: No matching entry found at cache",
                    "SECD: getTvsServerInfo: Phone in IPv4 only mode",
                    "SECD: connectToTvsServer: Successfully started a TLS connection establishment to the TVS server: IP:127.0.0.1",
                    "SECD: tvs_cert_vfy: TVS cert verified with hash from TL, <127.0.0.1>",
                    "SECD: sendTvsClientReqToSrvr: Authenticate Certificate : request sent to TVS server - waiting for response",
                    "SECD: processTvsSrvrResponse: Authentication Response received, status : 0",
                    "SECD: saveCertToTvsCache: Saving certificate in TVS cache with",
                    "SECD: Authenticated the HTTPS conn via TVS",
                    "SECD: lookupAuthCertTvsCacheEntry: Matching entry found at cache");
        }
    }

    @Test
    void tvsSayingNoMeansRefusedAndNothingRequested() throws Exception {
        try (TestTvsServer tvs = TestTvsServer.standard(Fixtures.pem("tvs.pem"), Map.of())) {
            TvsClient tvsClient = new TvsClient(group, TvsClientOptions.DEFAULTS.withReadTimeout(Duration.ofSeconds(2)), log);
            // The phone's check with an ITL that does not hold the tomcat certificate and an empty cache: TVS decides.
            HttpsCertificateCheck check = new HttpsCertificateCheck(log, new TvsCache(Clock.systemUTC()));
            InstalledTrust trust = new InstalledTrust(Optional.empty(), Optional.of(Fixtures.itl()));
            HttpsCertificateDecider decider = phoneCheck(check, trust,
                    tvsClient.verifier(() -> List.of(new TvsServer("127.0.0.1", tvs.port())), DEVICE,
                            Fixtures.itlTvsRecords(), Optional.empty(), log));
            HttpsResult r = get("tvs-says-no.txt", decider);
            assertThat(r).isInstanceOf(HttpsResult.Refused.class);
            Thread.sleep(300);
            assertThat(openssl.output()).doesNotContain("FILE:tvs-says-no.txt");
            assertThat(tvs.requests()).hasSize(1);
            assertInOrder(log,
                    "SECD: processTvsSrvrResponse: Authentication Response received, status : 1",
                    "SECD: EROR:https_cert_vfy: HTTPS cert could not be authenticated via TVS, <127.0.0.1>",
                    "SECD: EROR:srvr_cert_vfy: Server certificate not trusted, closing the connection, <127.0.0.1>");
        }
    }

    /**
     * The phone's decision as the phone runs it: phone-core's check (CTL, ITL, TVS cache), resumed with TVS's
     * answer when it needs one.
     */
    private static HttpsCertificateDecider phoneCheck(HttpsCertificateCheck check, InstalledTrust trust,
            Function<X509Certificate, CompletableFuture<TvsOutcome>> tvs) {
        return (cert, server) -> {
            HttpsDecision first = check.check(trust, cert, server.getAddress().getHostAddress());
            if (first instanceof HttpsDecision.NeedsTvs pending) {
                return tvs.apply(cert).thenApply(outcome -> check.resume(pending, outcome.toAnswer()) instanceof HttpsDecision.Allowed);
            }
            return CompletableFuture.completedFuture(first instanceof HttpsDecision.Allowed);
        };
    }
}
