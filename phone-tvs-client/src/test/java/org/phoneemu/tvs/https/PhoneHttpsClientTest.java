package org.phoneemu.tvs.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phoneemu.tvs.testing.Fixtures.assertInOrder;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.tvs.testing.Fixtures;
import org.phoneemu.tvs.testing.Loopback;
import org.phoneemu.tvs.testing.TestHttpsServer;
import org.phoneemu.tls.client.ExchangeFailure;

/** The HTTPS check against a Netty peer that counts every decrypted byte it receives. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a safety net against a hang, not a speed check: a busy CI machine is slow
class PhoneHttpsClientTest {
    private static final byte[] DIRECTORY = "<CiscoIPPhoneMenu><Title>Directory</Title></CiscoIPPhoneMenu>".getBytes(StandardCharsets.UTF_8);
    private static EventLoopGroup group;
    private static KeyMaterial tomcat;

    private final ConsoleLog log = Fixtures.log();
    private final HttpsOptions fast = HttpsOptions.DEFAULTS.withReadTimeout(Duration.ofMillis(500));

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        tomcat = Fixtures.pem("tomcat.pem");
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HttpsResult get(HttpsOptions options, String url, HttpsCertificateDecider decider) throws Exception {
        return new PhoneHttpsClient(group, options).get(URI.create(url), decider, log).get(2, TimeUnit.MINUTES);
    }

    private static URI url(TestHttpsServer s, String path) {
        return URI.create("https://127.0.0.1:" + s.port() + path);
    }

    @Test
    void refusedCertificateMeansNotOneByteSent() throws Exception {
        List<X509Certificate> seen = new CopyOnWriteArrayList<>();
        List<InetSocketAddress> where = new CopyOnWriteArrayList<>();
        try (TestHttpsServer server = new TestHttpsServer(tomcat, DIRECTORY)) {
            HttpsResult r = get(fast, url(server, "/dir").toString(), (cert, addr) -> {
                seen.add(cert);
                where.add(addr);
                return CompletableFuture.completedFuture(false);
            });
            assertThat(r).isInstanceOfSatisfying(HttpsResult.Refused.class,
                    ref -> assertThat(ref.serverCertificate()).isEqualTo(tomcat.certificate()));
            Thread.sleep(200);
            assertThat(server.applicationBytes()).isZero();
            assertThat(server.requests()).isEmpty();
            assertThat(seen).containsExactly(tomcat.certificate());
            assertThat(where).containsExactly(new InetSocketAddress("127.0.0.1", server.port()));
            assertInOrder(log,
                    "SECD: clpSetupSsl: Trying to connect to IPV4, IP: 127.0.0.1, Port : " + server.port(),
                    "SECD: clpSetupSsl: TCP connect() waiting, <127.0.0.1> c:",
                "SECD: clpSetupSsl: TCP connected, <127.0.0.1> c:",
                    "SECD: clpSetupSsl: start SSL/TLS handshake, <127.0.0.1> c:",
                    "SECD: srvr_cert_vfy: Server Certificate Validation needs to be done",
                    "SECD: EROR:srvr_cert_vfy: Server certificate not trusted, closing the connection, <127.0.0.1>");
        }
        assertThat(HttpsResult.Refused.UI_MESSAGE).isEqualTo("Host Not Found");
    }

    /** The gate holds the request while the decision is pending: not one byte, then the request once allowed. */
    @Test
    void nothingIsSentWhileTheDecisionIsPending() throws Exception {
        try (TestHttpsServer server = new TestHttpsServer(tomcat, DIRECTORY)) {
            CompletableFuture<Boolean> decision = new CompletableFuture<>();
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture<HttpsResult> r = new PhoneHttpsClient(group, fast).get(url(server, "/dir"), (c, a) -> {
                asked.countDown();
                return decision;
            }, log);
            assertThat(asked.await(2, TimeUnit.MINUTES)).isTrue();
            Thread.sleep(300);
            assertThat(r).isNotDone();
            assertThat(server.applicationBytes()).isZero();
            decision.complete(true);
            assertThat(r.get(2, TimeUnit.MINUTES)).isInstanceOf(HttpsResult.Ok.class);
            assertThat(server.requests()).containsExactly("GET /dir Host: 127.0.0.1:" + server.port());
        }
    }

    @Test
    void allowedCertificateGetsTheBody() throws Exception {
        try (TestHttpsServer server = new TestHttpsServer(tomcat, DIRECTORY)) {
            HttpsResult r = get(fast, url(server, "/ccmcip/xmldirectory.jsp?name=a%20b").toString(),
                    (cert, addr) -> CompletableFuture.supplyAsync(() -> true));
            assertThat(r).isInstanceOfSatisfying(HttpsResult.Ok.class, ok -> {
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.contentType()).isEqualTo("text/xml");
                assertThat(ok.body()).isEqualTo(DIRECTORY);
            });
            assertThat(server.requests()).containsExactly("GET /ccmcip/xmldirectory.jsp?name=a%20b Host: 127.0.0.1:" + server.port());
        }
    }

    @Test
    void oversizedBodyIsAFailure() throws Exception {
        try (TestHttpsServer server = new TestHttpsServer(tomcat, new byte[4096])) {
            HttpsResult r = get(fast.withMaxBodyBytes(1024), url(server, "/").toString(), (c, a) -> CompletableFuture.completedFuture(true));
            assertThat(r).isInstanceOfSatisfying(HttpsResult.Failed.class, f -> assertThat(f.reason()).isEqualTo(ExchangeFailure.BODY_TOO_LARGE));
        }
    }

    @Test
    void silentServerTimesOut() throws Exception {
        try (TestHttpsServer server = new TestHttpsServer(tomcat, null)) {
            HttpsResult r = get(fast, url(server, "/").toString(), (c, a) -> CompletableFuture.completedFuture(true));
            assertThat(r).isInstanceOfSatisfying(HttpsResult.Failed.class, f -> assertThat(f.reason()).isEqualTo(ExchangeFailure.READ_TIMEOUT));
        }
    }

    @Test
    void deciderErrorsAndSilenceSendNothing() throws Exception {
        try (TestHttpsServer server = new TestHttpsServer(tomcat, DIRECTORY)) {
            HttpsResult thrown = get(fast, url(server, "/").toString(), (c, a) -> {
                throw new IllegalStateException("trust store unavailable");
            });
            assertThat(thrown).isInstanceOfSatisfying(HttpsResult.Failed.class,
                    f -> assertThat(f.reason()).isEqualTo(ExchangeFailure.DECISION_FAILED));
            HttpsResult failed = get(fast, url(server, "/").toString(),
                    (c, a) -> CompletableFuture.failedFuture(new IllegalStateException("TVS exploded")));
            assertThat(failed).isInstanceOfSatisfying(HttpsResult.Failed.class,
                    f -> assertThat(f.reason()).isEqualTo(ExchangeFailure.DECISION_FAILED));
            HttpsResult slow = get(fast.withDecisionTimeout(Duration.ofMillis(300)), url(server, "/").toString(),
                    (c, a) -> new CompletableFuture<>());
            assertThat(slow).isInstanceOfSatisfying(HttpsResult.Failed.class,
                    f -> assertThat(f.reason()).isEqualTo(ExchangeFailure.DECISION_TIMEOUT));
            Thread.sleep(200);
            assertThat(server.applicationBytes()).isZero();
        }
    }

    @Test
    void connectRefusedAndBadUrls() throws Exception {
        int down = Loopback.closedPort();
        HttpsResult r = get(fast, "https://127.0.0.1:" + down + "/", (c, a) -> CompletableFuture.completedFuture(true));
        assertThat(r).isInstanceOfSatisfying(HttpsResult.Failed.class, f -> assertThat(f.reason()).isEqualTo(ExchangeFailure.CONNECT_REFUSED));
        assertThat(get(fast, "http://127.0.0.1/", (c, a) -> CompletableFuture.completedFuture(true)))
                .isInstanceOfSatisfying(HttpsResult.Failed.class, f -> assertThat(f.reason()).isEqualTo(ExchangeFailure.BAD_URL));
    }

    @Test
    void pathAndQueryDefaultToSlash() {
        assertThat(PhoneHttpsClient.pathAndQuery(URI.create("https://h"))).isEqualTo("/");
        assertThat(PhoneHttpsClient.pathAndQuery(URI.create("https://h/a?b=c"))).isEqualTo("/a?b=c");
    }
}
