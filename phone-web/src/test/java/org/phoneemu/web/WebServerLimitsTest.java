package org.phoneemu.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phoneemu.net.LoopbackClient.connect;
import static org.phoneemu.net.LoopbackClient.dripUntilClosed;
import static org.phoneemu.net.LoopbackClient.waitFor;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.net.HttpLimits;
import org.phoneemu.phone.Phone;

/**
 * The attack on the web server, bounded: slow connections (a header byte now and then), slow bodies and
 * idle connections held the server (and at 20,000 of them the process's file descriptors) forever. Now a connection
 * over the caps is closed at once, and each deadline ends a connection however slowly it drips. Deadlines are set
 * short through {@link HttpLimits}; the tests wait for the server to close (a read that returns -1), never for a
 * time to pass.
 */
class WebServerLimitsTest {
    /** Long enough never to end a held connection during the cap test. */
    private static final Duration LONG = Duration.ofMinutes(5);

    static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void group() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void close() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static WebServer start(HttpLimits limits) throws WebConfigException {
        return WebServer.builder().fleet(CrossSiteAdminTest.noPhones()).limits(limits).group(group).start();
    }

    @Test
    void connectionsOverTheCapsAreRefusedAndOthersStillServed() throws Exception {
        HttpLimits limits = HttpLimits.web().withTimeouts(LONG, LONG, LONG).withConnections(6, 4);
        try (WebServer s = start(limits)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket slow = connect(s.address(), "127.0.0.1");
                    slow.getOutputStream().write('G'); // a request begun and never finished
                    held.add(slow);
                }
                waitFor(() -> s.openConnections() == 4);
                // The fifth from the same address is over the per-address cap: closed at once, before any request.
                try (Socket extra = connect(s.address(), "127.0.0.1")) {
                    assertThat(extra.getInputStream().read()).isEqualTo(-1);
                }
                // Another address is still served while the first one is at its cap.
                assertThat(get(s, "127.0.0.2")).startsWith("HTTP/1.1 200");
                waitFor(() -> s.openConnections() == 4); // the answered one's slot is given back as it closes
                // Fill the global cap from a third address: the next one from anywhere is refused.
                Socket other = connect(s.address(), "127.0.0.3");
                other.getOutputStream().write('G');
                held.add(other);
                Socket other2 = connect(s.address(), "127.0.0.3");
                other2.getOutputStream().write('G');
                held.add(other2);
                waitFor(() -> s.openConnections() == 6);
                try (Socket extra = connect(s.address(), "127.0.0.4")) {
                    assertThat(extra.getInputStream().read()).isEqualTo(-1);
                }
            } finally {
                for (Socket h : held) {
                    h.close();
                }
            }
            waitFor(() -> s.openConnections() == 0);
            assertThat(get(s, "127.0.0.1")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aHeaderDrippedOneByteAtATimeIsCutAtTheHeaderDeadline() throws Exception {
        // Idle and request deadlines far away: only the header deadline can end it; an idle timer would restart on each byte.
        HttpLimits limits = HttpLimits.web().withTimeouts(Duration.ofMillis(500), LONG, LONG);
        try (WebServer s = start(limits)) {
            try (Socket slow = connect(s.address(), "127.0.0.1")) {
                assertThat(dripUntilClosed(slow, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(4000))).isTrue();
            }
            assertThat(get(s, "127.0.0.1")).startsWith("HTTP/1.1 200");
            waitFor(() -> s.openConnections() == 0);
        }
    }

    @Test
    void aBodyDrippedOneByteAtATimeIsCutAtTheRequestDeadline() throws Exception {
        HttpLimits limits = HttpLimits.web().withTimeouts(Duration.ofMillis(800), Duration.ofMillis(800), LONG); // the headers go in one write
        try (WebServer s = start(limits)) {
            try (Socket slow = connect(s.address(), "127.0.0.1")) {
                String head = "POST /admin/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 8000\r\n\r\n";
                slow.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                assertThat(dripUntilClosed(slow, "command=" + "x".repeat(7990))).isTrue();
            }
            assertThat(get(s, "127.0.0.1")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsCutAtTheIdleDeadline() throws Exception {
        HttpLimits limits = HttpLimits.web().withTimeouts(LONG, LONG, Duration.ofMillis(500));
        try (WebServer s = start(limits)) {
            try (Socket quiet = connect(s.address(), "127.0.0.1")) {
                assertThat(quiet.getInputStream().read()).isEqualTo(-1);
            }
            // After a response too: a kept-alive connection that asks nothing more is closed (the read ends).
            assertThat(answeredThenClosed(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefused() throws Exception {
        try (WebServer s = start(HttpLimits.web())) {
            try (Socket big = connect(s.address(), "127.0.0.1")) {
                big.getOutputStream().write(("POST /admin/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (HttpLimits.web().maxRequestBytes() + 1)
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String status = new String(big.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(status).isEqualTo("HTTP/1.1 413");
            }
        }
    }

    @Test
    void twoRequestsInOneWriteAreHandledOneAfterTheOther() throws Exception {
        GatedFleet fleet = new GatedFleet();
        try (WebServer s = WebServer.builder().fleet(fleet).group(group).start()) {
            try (Socket a = connect(s.address(), "127.0.0.1"); Socket b = connect(s.address(), "127.0.0.1")) {
                a.getOutputStream().write((phoneGet("00000000000A", false) + phoneGet("00000000000B", true)).getBytes(StandardCharsets.US_ASCII));
                waitFor(() -> fleet.seen.size() == 1);
                // The second worker is free: the next request to reach it is another connection's, not A's second.
                b.getOutputStream().write(phoneGet("00000000000C", true).getBytes(StandardCharsets.US_ASCII));
                waitFor(() -> fleet.seen.size() == 2);
                assertThat(fleet.seen).containsExactly("00000000000A", "00000000000C");
                fleet.gate.countDown();
                String answers = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answers.split("HTTP/1\\.1 ", -1)).hasSize(3).allMatch(r -> r.isEmpty() || r.startsWith("404"));
                assertThat(fleet.seen).containsExactly("00000000000A", "00000000000C", "00000000000B");
            }
        }
    }

    @Test
    void manyRequestsInOneWriteAreAllAnsweredInTurn() throws Exception {
        int n = 100; // under the codec's own cap of 128 requests waiting on one connection, which closes it
        try (WebServer s = start(HttpLimits.web())) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < n; i++) {
                all.append("GET /?n=").append(i).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n").append(i == n - 1 ? "Connection: close\r\n" : "")
                        .append("\r\n");
            }
            try (Socket sock = connect(s.address(), "127.0.0.1")) {
                sock.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
                String answers = new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String[] statuses = answers.lines().filter(l -> l.startsWith("HTTP/1.1 ")).toArray(String[]::new);
                assertThat(statuses).hasSize(n).allMatch(l -> l.startsWith("HTTP/1.1 200"));
            }
        }
    }

    @Test
    void aPageRequestBeyondTheQueueIsAnswered503() throws Exception {
        GatedFleet fleet = new GatedFleet();
        try (WebServer s = WebServer.builder().fleet(fleet).group(group).pageQueue(1).start()) {
            List<Socket> held = new ArrayList<>();
            try {
                for (String mac : List.of("00000000000A", "00000000000B")) { // both workers busy
                    Socket sock = connect(s.address(), "127.0.0.1");
                    sock.getOutputStream().write(phoneGet(mac, true).getBytes(StandardCharsets.US_ASCII));
                    held.add(sock);
                }
                waitFor(() -> fleet.seen.size() == 2);
                Socket queued = connect(s.address(), "127.0.0.1");
                queued.getOutputStream().write(phoneGet("00000000000C", true).getBytes(StandardCharsets.US_ASCII));
                held.add(queued);
                waitFor(() -> s.pagesWaiting() == 1);
                try (Socket over = connect(s.address(), "127.0.0.1")) {
                    over.getOutputStream().write(phoneGet("00000000000D", true).getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(over.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 503");
                }
                fleet.gate.countDown();
                for (Socket h : held) {
                    assertThat(new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 404");
                }
                assertThat(fleet.seen).doesNotContain("00000000000D");
            } finally {
                fleet.gate.countDown();
                for (Socket h : held) {
                    h.close();
                }
            }
        }
    }

    private static String phoneGet(String mac, boolean last) {
        return "GET /phones/SEP" + mac + "/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (last ? "Connection: close\r\n" : "") + "\r\n";
    }

    /** No phones; each phone page looked up is noted and waits until the test opens the gate. */
    private static final class GatedFleet implements FleetView {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public Optional<Phone> phone(String mac) {
            seen.add(mac);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }

        @Override
        public List<Phone> phones() {
            return List.of();
        }

        @Override
        public Optional<String> clusterItlMd5() {
            return Optional.empty();
        }

        @Override
        public BootStats bootStats() {
            return new BootStats();
        }
    }

    /**
     * All a connection received after sending {@code request}, up to the server's close. The idle deadline also runs
     * from the accept to the request's first byte, which a plain TCP client cannot send with its connect: a try the
     * server closed before the request arrived (nothing answered: a busy machine delayed the client) is made again, so
     * only the wait after the answer is timed. A server that never answers fails after a minute of tries.
     */
    static String answeredThenClosed(WebServer s, String request) throws IOException, InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try (Socket kept = connect(s.address(), "127.0.0.1")) {
                kept.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                byte[] all = kept.getInputStream().readAllBytes();
                if (all.length > 0 || System.nanoTime() > until) {
                    return new String(all, StandardCharsets.UTF_8);
                }
            } catch (java.net.SocketException closedFirst) {
                if (System.nanoTime() > until) {
                    throw closedFirst;
                }
            }
            waitFor(() -> s.openConnections() == 0); // the closed try's slot is given back
        }
    }

    static String get(WebServer s, String from) throws IOException {
        try (Socket sock = connect(s.address(), from)) {
            sock.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + s.address().getPort() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
