package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.cucm.config.DirectoryEntry;
import org.phoneemu.cucm.https.DirectoryServer;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.tftp.ProvisioningServer;
import org.phoneemu.net.LoopbackClient;
import org.phoneemu.cucm.tvs.CertificateStore;
import org.phoneemu.cucm.tvs.TvsServer;
import org.slf4j.LoggerFactory;

/**
 * The slow-drip and connection-flood attacks against the TVS and HTTPS servers, with short deadlines and small caps
 * (docs/LIMITS.md): a client that drips bytes or never finishes its handshake is cut at the deadline, one address
 * cannot take every connection, and no exception reaches the end of a pipeline.
 *
 * <p>Only what an attacker never does is timed: a legitimate handshake or request never races a short deadline (the
 * machine running the tests may be busy). A case testing the request deadline gives the handshake {@link #UNHURRIED}
 * and sends its legitimate request with the end of the handshake ({@link FirstRequestWithHandshake}); a case testing
 * something else has no short deadline at all.
 */
class TlsServerLimitsTest {
    private static final KeyMaterial SERVER = TestPki.rsa("C=US,O=lab,CN=limits.lab.example", 1024, 16);
    /** Longer than any legitimate exchange takes on a loaded machine. */
    private static final Duration UNHURRIED = Duration.ofMinutes(2);
    /** Small caps; a whole request is due within 1 s, the handshake is not hurried. */
    private static final ConnectionLimits SHORT = new ConnectionLimits(UNHURRIED, Duration.ofSeconds(1), 3, 2);
    /** The same caps, and no deadline a legitimate client could miss: for cases that test something else. */
    private static final ConnectionLimits CAPS_ONLY = SHORT.withTimeouts(UNHURRIED, UNHURRIED);

    private MultiThreadIoEventLoopGroup group;
    private TvsServer tvs;
    private DirectoryServer https;
    private InetSocketAddress tvsAddress;
    private InetSocketAddress httpsAddress;
    private final List<String> trace = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        logged.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logged);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        bind(SHORT);
    }

    /** Replaces the servers {@link #start} bound by ones with {@code limits}. */
    private void rebind(ConnectionLimits limits) throws Exception {
        tvs.close().get(2, TimeUnit.MINUTES);
        https.close().get(2, TimeUnit.MINUTES);
        bind(limits);
    }

    private void bind(ConnectionLimits limits) throws Exception {
        SslContext tls = SslContextBuilder.forServer(SERVER.privateKey(), SERVER.certificate()).build();
        tvs = new TvsServer(group, new InetSocketAddress("127.0.0.1", 0), () -> tls, () -> CertificateStore.EMPTY,
                () -> Duration.ofDays(1), java.time.Clock.systemUTC(), trace::add, limits);
        tvsAddress = tvs.bind().get(2, TimeUnit.MINUTES);
        https = new DirectoryServer(group, new InetSocketAddress("127.0.0.1", 0), () -> tls,
                () -> List.of(new DirectoryEntry("Help Desk", "1000")), limits);
        httpsAddress = https.bind().get(2, TimeUnit.MINUTES);
    }

    @AfterEach
    void stop() throws Exception {
        tvs.close().get(2, TimeUnit.MINUTES);
        https.close().get(2, TimeUnit.MINUTES);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logged);
        // Whatever the attack, no exception reached the end of a pipeline and no stack trace was logged.
        assertThat(logged.list).noneMatch(e -> e.getFormattedMessage().contains("reached at the tail of the pipeline"));
        assertThat(logged.list).noneMatch(e -> e.getThrowableProxy() != null && e.getLevel().isGreaterOrEqual(Level.WARN));
    }

    static SSLSocket tls(InetSocketAddress server, String from) throws Exception {
        return TestTls.connect(server, InetAddress.getByName(from));
    }

    /**
     * True when the server ends the connection (EOF or reset) within 60 s: the deadlines are seconds, the wait is long so
     * a busy machine does not turn "late" into "never".
     */
    static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(60_000);
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException | javax.net.ssl.SSLException reset) {
            return true;
        }
    }

    /** Sends {@code bytes} one at a time, 100 ms apart, on a thread of its own, until the socket breaks. */
    static Thread drip(Socket s, byte[] bytes) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int i = 0; ; i = (i + 1) % bytes.length) {
                    out.write(bytes[i]);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException stopped) {
                // the server hung up
            }
        }, "slow-drip");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void tvsSlowDripIsCutAtTheRequestDeadline() throws Exception {
        try (SSLSocket s = tls(tvsAddress, "127.0.0.1")) {
            // A VERIFY header announcing a long body, then one byte each 100 ms: an idle timer would never fire.
            drip(s, TvsServerTest.verifyRequest(1, "CP-7970-SEP001122334455", SERVER.certificate().getEncoded()));
            assertThat(closedByServer(s)).as("connection closed at the request deadline").isTrue();
        }
        assertThat(trace).anyMatch(l -> l.contains("no whole request within"));
    }

    @Test
    void httpsSlowDripIsCutAtTheRequestDeadline() throws Exception {
        try (SSLSocket s = tls(httpsAddress, "127.0.0.1")) {
            drip(s, ("GET " + DirectoryServer.DIRECTORY_PATH + " HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(200) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(closedByServer(s)).as("connection closed at the request deadline").isTrue();
        }
    }

    @Test
    void aClientThatNeverHandshakesIsCutAtTheHandshakeDeadline() throws Exception {
        rebind(SHORT.withTimeouts(Duration.ofSeconds(2), UNHURRIED));
        for (InetSocketAddress server : List.of(tvsAddress, httpsAddress)) {
            try (Socket s = new Socket(server.getAddress(), server.getPort())) {
                s.getOutputStream().write(0x16); // the first byte of a TLS record, then nothing
                assertThat(closedByServer(s)).as("closed at the handshake deadline: " + server).isTrue();
            }
        }
    }

    @Test
    void anIdleKeptConnectionIsClosedAfterItsResponse() throws Exception {
        // The request arrives with the end of the handshake: only the wait after the response is timed.
        try (SSLSocket s = FirstRequestWithHandshake.send(tvsAddress, null, 0,
                TvsServerTest.verifyRequest(5, "CP-7970-SEP001122334455", SERVER.certificate().getEncoded()))) {
            assertThat(TvsServerTest.read(s.getInputStream()).elements().get(7)).containsExactly(1);
            assertThat(closedByServer(s)).as("the next request did not come in time").isTrue();
        }
    }

    @Test
    void connectionsAreCappedPerAddressAndInAllAndOthersAreStillServed() throws Exception {
        // No deadline: the open connections must stay open until the caps are tried.
        rebind(CAPS_ONLY);
        for (InetSocketAddress server : List.of(tvsAddress, httpsAddress)) {
            List<Socket> open = new ArrayList<>();
            try {
                open.add(tls(server, "127.0.0.1"));
                open.add(tls(server, "127.0.0.1"));
                // A third connection from 127.0.0.1 is closed at once.
                assertThatThrownBy(() -> open.add(tls(server, "127.0.0.1"))).isInstanceOf(IOException.class);
                // Another address is served.
                SSLSocket other = tls(server, "127.0.0.2");
                open.add(other);
                if (server == tvsAddress) {
                    other.getOutputStream().write(TvsServerTest.verifyRequest(9, "CP-7970-SEP001122334455",
                            SERVER.certificate().getEncoded()));
                    assertThat(TvsServerTest.read(other.getInputStream()).elements().get(7)).containsExactly(1);
                } else {
                    other.getOutputStream().write(("GET " + DirectoryServer.DIRECTORY_PATH + " HTTP/1.1\r\nHost: x\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] head = other.getInputStream().readNBytes(12);
                    assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                }
                // Three are open: the cap in all turns a fourth address away too.
                assertThatThrownBy(() -> open.add(tls(server, "127.0.0.3"))).isInstanceOf(IOException.class);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    /** The status line of the answer, or "closed" when the server hung up without one. */
    static String answer(SSLSocket s, String request) throws IOException {
        try {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(12);
            return head.length == 0 ? "closed" : new String(head, StandardCharsets.US_ASCII);
        } catch (SocketException | javax.net.ssl.SSLException closed) {
            return "closed";
        }
    }

    @Test
    void oversizedHttpRequestsAreRefusedAndOthersServed() throws Exception {
        rebind(CAPS_ONLY);
        try (SSLSocket s = tls(httpsAddress, "127.0.0.1")) {
            String head = answer(s, "GET " + DirectoryServer.DIRECTORY_PATH + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
            assertThat(head).matches("HTTP/1\\.1 4\\d\\d|closed");
        }
        try (SSLSocket s = tls(httpsAddress, "127.0.0.1")) {
            String head = answer(s, "POST " + DirectoryServer.DIRECTORY_PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                    + "b".repeat(100_000));
            assertThat(head).matches("HTTP/1\\.1 4\\d\\d|closed");
        }
        try (SSLSocket s = tls(httpsAddress, "127.0.0.2")) {
            assertThat(answer(s, "GET " + DirectoryServer.DIRECTORY_PATH + " HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo("HTTP/1.1 200");
        }
    }

    @Test
    void resetsAndGarbageCloseOnlyTheirConnection() throws Exception {
        // Caps high enough that connections still being torn down do not turn the next one away; no deadline.
        rebind(CAPS_ONLY.withConnections(200, 100));
        for (InetSocketAddress server : List.of(tvsAddress, httpsAddress)) {
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket(server.getAddress(), server.getPort())) {
                    if (i % 2 == 0) {
                        s.getOutputStream().write("not TLS at all\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    s.setSoLinger(true, 0); // close with a TCP reset
                }
                try (SSLSocket s = tls(server, "127.0.0.1")) {
                    s.getOutputStream().write(new byte[] {0x57, 1, 9, 0, 0, 0, 0, 1, 0, 0});
                    s.setSoLinger(true, 0);
                }
            }
            try (SSLSocket s = tls(server, "127.0.0.2")) {
                assertThat(s.getSession().isValid()).isTrue();
            }
        }
        // 20 malformed frames and 40 resets on TVS: the first of each kind is logged, the rest counted for a summary.
        assertThat(logged.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().endsWith("TvsRequestHandler")))
                .hasSizeBetween(1, 2);
        assertThat(trace).filteredOn(l -> l.contains("malformed TVS frame")).hasSize(20);
    }

    /**
     * Opens a TLS connection with a small receive window, writes {@code requests} GETs of {@code path} in one write with
     * the end of the handshake and never reads an answer.
     */
    static SSLSocket pipelineWithoutReading(InetSocketAddress server, String path, int requests) throws Exception {
        String one = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
        return FirstRequestWithHandshake.send(server, null, 8192, one.repeat(requests).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void provisioningHttpsCutsAPipeliningClientThatDoesNotReadItsAnswers() throws Exception {
        String config = "SEP001122334455.cnf.xml";
        TftpDirectory dir = new TftpDirectory(Map.of(config, new TftpFile(config, new byte[128 * 1024], Instant.EPOCH, new byte[0])));
        SslContext tls = SslContextBuilder.forServer(SERVER.privateKey(), SERVER.certificate()).build();
        ProvisioningServer provisioning = new ProvisioningServer(group, () -> dir, trace::add);
        try {
            InetSocketAddress at = provisioning.bindHttps(new InetSocketAddress("127.0.0.1", 0), () -> tls, SHORT).get(2, TimeUnit.MINUTES);
            int requests = 250;
            try (SSLSocket s = pipelineWithoutReading(at, "/" + config + ".sgn", requests)) {
                LoopbackClient.waitFor(() -> provisioning.openHttpsConnections() == 1, "the connection is counted");
                // The server answers one request at a time and stops reading once an answer cannot be written: the
                // deadline covers that write, so the connection is closed rather than its answers queued.
                LoopbackClient.waitFor(() -> provisioning.openHttpsConnections() == 0, "the server closes the connection");
            }
            assertThat(trace.stream().filter(l -> l.startsWith("HTTPS ")).count()).as("requests answered").isLessThan(requests);
        } finally {
            provisioning.close().get(2, TimeUnit.MINUTES);
        }
    }

    @Test
    void directoryHttpsCutsAPipeliningClientThatDoesNotReadItsAnswers() throws Exception {
        List<DirectoryEntry> big = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            big.add(new DirectoryEntry("Person number " + i + " of the lab", String.valueOf(10000 + i)));
        }
        SslContext tls = SslContextBuilder.forServer(SERVER.privateKey(), SERVER.certificate()).build();
        AtomicInteger answered = new AtomicInteger(); // the server reads the directory once per request it answers
        DirectoryServer directory = new DirectoryServer(group, new InetSocketAddress("127.0.0.1", 0), () -> tls, () -> {
            answered.incrementAndGet();
            return big;
        }, SHORT);
        try {
            InetSocketAddress at = directory.bind().get(2, TimeUnit.MINUTES);
            int requests = 250;
            // The list page (every entry: no criteria), whose answers fill the socket buffers; the menu page is too small to.
            try (SSLSocket s = pipelineWithoutReading(at, DirectoryServer.LIST_PATH, requests)) {
                LoopbackClient.waitFor(() -> directory.openConnections() == 1, "the connection is counted");
                LoopbackClient.waitFor(() -> directory.openConnections() == 0, "the server closes the connection");
            }
            assertThat(answered.get()).as("requests answered").isLessThan(requests);
        } finally {
            directory.close().get(2, TimeUnit.MINUTES);
        }
    }
}
