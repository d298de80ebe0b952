package org.phoneemu.phone;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.boot.HttpProvisioningClient;
import org.phoneemu.tftp.boot.ProvisioningSession;
import org.phoneemu.tftp.boot.Transport;
import org.phoneemu.tftp.client.TftpClient;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tftp.client.TftpResult;
import org.phoneemu.tftp.testing.InMemoryTftpServer;
import org.phoneemu.tvs.https.HttpsOptions;
import org.phoneemu.tvs.https.PhoneHttpsClient;

/**
 * The provisioning session's fallbacks (docs/PROTOCOLS.md §4) with the phone's real readers against loopback peers:
 * an HTTPS 6971 server with an EC certificate, an HTTP 6970 server, and a TFTP server behind. Each step fails by its
 * own rule (a refused certificate, a decision or answer past its deadline, a dead or silent server) and the file comes
 * over the next one, with what failed before it. Console lines are stamped by the injected clock; the observer's
 * latencies are timed by the injected nanoTime.
 */
class ProvisioningSessionTest {
    static final String MAC = "0011215A1AE3";
    static final String CONFIG = "SEP" + MAC + ".cnf.xml.sgn";
    static final Instant T0 = Instant.parse("2024-01-01T09:13:17Z");
    static final byte[] FROM_HTTPS = "<device>over 6971</device>".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FROM_HTTP = "signed over 6970".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FROM_TFTP = "signed over TFTP".getBytes(StandardCharsets.US_ASCII);
    static final HttpsOptions FAST_HTTPS = new HttpsOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 1024 * 1024);

    static EventLoopGroup group;
    static KeyMaterial provisioningKey;

    InMemoryTftpServer tftp;
    ConsoleLog log;
    VirtualClock clock;
    final List<Channel> servers = new CopyOnWriteArrayList<>();
    /** What the HTTP and HTTPS servers were asked, as {@code http GET /name} or {@code https GET /name}. */
    final List<String> asked = new CopyOnWriteArrayList<>();
    final AtomicInteger httpConnections = new AtomicInteger();

    /** How the test's HTTP or HTTPS server answers a request. */
    enum Answer { OK, STATUS_500, SILENT }

    @BeforeAll
    static void startGroup() {
        group = new NioEventLoopGroup(2);
        provisioningKey = TestPki.ec("CN=cucmpub-EC", "secp256r1", 16);
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void start() throws Exception {
        tftp = new InMemoryTftpServer(group, 500).start();
        tftp.put(CONFIG, FROM_TFTP).put("ITLFile.tlv", FROM_TFTP);
        clock = new VirtualClock(T0);
        log = new ConsoleLog("SEP" + MAC, clock);
    }

    @AfterEach
    void stop() {
        tftp.close();
        servers.forEach(c -> c.close().syncUninterruptibly());
    }

    /** An HTTP (or, with {@code tls}, HTTPS) server on the TFTP server's host; its port. */
    int server(boolean tls, Answer answer, byte[] body) throws Exception {
        SslContext ssl = tls ? SslContextBuilder.forServer(provisioningKey.privateKey(), provisioningKey.certificate()).build() : null;
        Channel c = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        } else {
                            httpConnections.incrementAndGet();
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                asked.add((tls ? "https " : "http ") + req.method() + " " + req.uri());
                                if (answer == Answer.SILENT) {
                                    return;
                                }
                                DefaultFullHttpResponse r = answer == Answer.OK
                                        ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body))
                                        : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.INTERNAL_SERVER_ERROR);
                                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
                                ctx.writeAndFlush(r);
                            }
                        });
                    }
                }).bind(new InetSocketAddress(tftp.address().getAddress(), 0)).sync().channel();
        servers.add(c);
        return ((InetSocketAddress) c.localAddress()).getPort();
    }

    /** A port on the TFTP server's host where nothing listens. */
    int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, tftp.address().getAddress())) {
            return s.getLocalPort();
        }
    }

    ProvisioningSession session(int httpPort, int httpsPort, Duration fileDeadline) {
        TftpOptions options = TftpOptions.defaults().withTimeout(Duration.ofMillis(200)).withRetries(1).withDeadline(fileDeadline);
        BootDownloader fallback = new BootDownloader(MAC, List.of(tftp.address()), log, new TftpClient(group), options, 27);
        ProvisioningReads reads = new ProvisioningReads(new HttpProvisioningClient(group, ch -> { }), new PhoneHttpsClient(group, FAST_HTTPS), log);
        ProvisioningSession s = new ProvisioningSession(fallback, List.of(tftp.address()), log, reads, httpPort, httpsPort);
        s.newBoot();
        return s;
    }

    /** A judge that records the certificate it saw and answers {@code decision}. */
    static Function<X509Certificate, CompletableFuture<HttpsDecision>> judge(List<X509Certificate> seen, CompletableFuture<HttpsDecision> decision) {
        return cert -> {
            seen.add(cert);
            return decision;
        };
    }

    List<String> texts() {
        return log.lines().stream().map(ConsoleLine::text).toList();
    }

    static BootDownloader.Download await(CompletableFuture<BootDownloader.Download> f) throws Exception {
        return f.get(1, TimeUnit.MINUTES);
    }

    @Test
    void aRefusedCertificateThenAFailedHttpServerEndsOverTftpWithBothFailuresSaid() throws Exception {
        int https = server(true, Answer.OK, FROM_HTTPS);
        int http = server(false, Answer.STATUS_500, FROM_HTTP);
        List<X509Certificate> seen = new CopyOnWriteArrayList<>();
        ProvisioningSession s = session(http, https, Duration.ofSeconds(30));

        BootDownloader.Download d = await(s.fetchConfig(CONFIG, 550001,
                Optional.of(judge(seen, CompletableFuture.completedFuture(new HttpsDecision.Refused("not in the ITL"))))));

        assertThat(seen).containsExactly(provisioningKey.certificate());
        assertThat(d.transport()).isEqualTo(Transport.TFTP);
        assertThat(d.result()).isEqualTo(new TftpResult.Received(FROM_TFTP));
        assertThat(d.tlsDecision()).isEmpty();
        assertThat(d.fellBack()).containsExactly(
                new BootDownloader.FailedAttempt(Transport.HTTPS, "server certificate not trusted: not in the ITL", true),
                new BootDownloader.FailedAttempt(Transport.HTTP, "HTTP status 500"));
        // The refused server heard no request; the HTTP one heard one.
        assertThat(asked).containsExactly("http GET /" + CONFIG);
        assertThat(texts()).containsSubsequence(
                "HTTPS: [27]:Requesting https://127.0.0.1:" + https + "/" + CONFIG + " with size limit of 550001",
                "HTTPS: [27]:Failed : " + CONFIG + " (server certificate not trusted: not in the ITL), falling back to HTTP",
                "HTTP: [28]:Requesting http://127.0.0.1:" + http + "/" + CONFIG + " with size limit of 550001",
                "HTTP: [28]:Failed : " + CONFIG + " (HTTP status 500), falling back to TFTP",
                "TFTP: [29]:Requesting " + CONFIG + " from 127.0.0.1 with size limit of 550001",
                "TFTP: [29]:Finished --> rcvd " + FROM_TFTP.length + " bytes");
        // Stamped by the injected clock, which no step moved.
        assertThat(log.lines()).allSatisfy(l -> assertThat(l.time()).isEqualTo(T0));
    }

    @Test
    void anAllowedCertificateDeliversOver6971WithThatConnectionsDecision() throws Exception {
        int https = server(true, Answer.OK, FROM_HTTPS);
        int http = server(false, Answer.OK, FROM_HTTP);
        HttpsDecision allowed = new HttpsDecision.Allowed(HttpsDecision.Source.ITL);
        ProvisioningSession s = session(http, https, Duration.ofSeconds(30));

        BootDownloader.Download d = await(s.fetchConfig(CONFIG, 550001,
                Optional.of(judge(new CopyOnWriteArrayList<>(), CompletableFuture.completedFuture(allowed)))));

        assertThat(d.transport()).isEqualTo(Transport.HTTPS);
        assertThat(d.result()).isEqualTo(new TftpResult.Received(FROM_HTTPS));
        assertThat(d.tlsDecision()).containsSame(allowed);
        assertThat(d.fellBack()).isEmpty();
        assertThat(asked).containsExactly("https GET /" + CONFIG);
    }

    @Test
    void aDecisionPastItsDeadlineFallsBackToHttp() throws Exception {
        int https = server(true, Answer.OK, FROM_HTTPS);
        int http = server(false, Answer.OK, FROM_HTTP);
        ProvisioningSession s = session(http, https, Duration.ofSeconds(30));

        // The judge never answers (a TVS that hangs): the HTTPS client's decision deadline (1 s here, 60 s on a phone) ends it.
        BootDownloader.Download d = await(s.fetchConfig(CONFIG, 550001, Optional.of(judge(new CopyOnWriteArrayList<>(), new CompletableFuture<>()))));

        assertThat(d.transport()).isEqualTo(Transport.HTTP);
        assertThat(d.result()).isEqualTo(new TftpResult.Received(FROM_HTTP));
        assertThat(d.fellBack()).singleElement().satisfies(f -> assertThat(f.transport()).isEqualTo(Transport.HTTPS));
        assertThat(asked).containsExactly("http GET /" + CONFIG);
    }

    @Test
    void anAnswerPastTheHttpsReadDeadlineFallsBackToHttp() throws Exception {
        int https = server(true, Answer.SILENT, FROM_HTTPS);
        int http = server(false, Answer.OK, FROM_HTTP);
        ProvisioningSession s = session(http, https, Duration.ofSeconds(30));

        BootDownloader.Download d = await(s.fetchConfig(CONFIG, 550001,
                Optional.of(judge(new CopyOnWriteArrayList<>(), CompletableFuture.completedFuture(new HttpsDecision.Allowed(HttpsDecision.Source.ITL))))));

        assertThat(d.transport()).isEqualTo(Transport.HTTP);
        assertThat(d.tlsDecision()).isEmpty();
        assertThat(d.fellBack()).singleElement().satisfies(f -> assertThat(f.transport()).isEqualTo(Transport.HTTPS));
        assertThat(asked).containsExactly("https GET /" + CONFIG, "http GET /" + CONFIG);
    }

    @Test
    void aDead6971ThenAnswering6970() throws Exception {
        int http = server(false, Answer.OK, FROM_HTTP);
        ProvisioningSession s = session(http, closedPort(), Duration.ofSeconds(30));

        BootDownloader.Download d = await(s.fetchConfig(CONFIG, 550001,
                Optional.of(judge(new CopyOnWriteArrayList<>(), CompletableFuture.completedFuture(new HttpsDecision.Allowed(HttpsDecision.Source.ITL))))));

        assertThat(d.transport()).isEqualTo(Transport.HTTP);
        assertThat(d.fellBack()).singleElement().satisfies(f -> assertThat(f.transport()).isEqualTo(Transport.HTTPS));
    }

    @Test
    void aSilentHttpServerIsCutAtTheFileDeadlineAndTheRestOfTheBootGoesToTftp() throws Exception {
        int http = server(false, Answer.SILENT, FROM_HTTP);
        ProvisioningSession s = session(http, closedPort(), Duration.ofSeconds(1));
        AtomicLong nanos = new AtomicLong();
        List<Long> timed = new CopyOnWriteArrayList<>();
        // The injected nanoTime moves 7 s at each reading: the observer's latency is the injected clock's, not the wall's.
        s.observe(new BootDownloader.Observer() {
            @Override
            public void trustLists(BootDownloader.TrustLists lists, long n) {
            }

            @Override
            public void file(BootDownloader.Download download, long n) {
                timed.add(n);
            }
        }, () -> nanos.addAndGet(TimeUnit.SECONDS.toNanos(7)));

        BootDownloader.Download d = await(s.fetch(CONFIG, 550001));
        assertThat(d.transport()).isEqualTo(Transport.TFTP);
        assertThat(d.fellBack()).containsExactly(new BootDownloader.FailedAttempt(Transport.HTTP, "not received within 1 s"));
        assertThat(timed).containsExactly(TimeUnit.SECONDS.toNanos(7));

        // The boot's next file does not wait on the dead HTTP server again.
        BootDownloader.Download itl = await(s.fetch("ITLFile.tlv", 550001));
        assertThat(itl.transport()).isEqualTo(Transport.TFTP);
        assertThat(itl.fellBack()).isEmpty();
        assertThat(httpConnections).hasValue(1);
        assertThat(asked).containsExactly("http GET /" + CONFIG);

        // A new boot asks HTTP first again.
        s.newBoot();
        await(s.fetch("ITLFile.tlv", 550001));
        assertThat(httpConnections).hasValue(2);
    }
}
