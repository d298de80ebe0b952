package org.phoneemu.fleet.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.phoneemu.net.HttpLimits;

/**
 * The attack of issue 26 on the metrics endpoint: a scrape dripped at one byte every 5 s stayed open past 90 s (the
 * read timeout restarted on each byte), and connections were not capped. Deadlines are set short through
 * {@link HttpLimits}; the tests wait for the server to close, never for a time to pass.
 */
class MetricsServerLimitsTest {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final int NEVER_MS = 60_000;

    private static MetricsServer start(HttpLimits limits) throws IOException {
        return MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> "up 1\n", limits);
    }

    @Test
    void aDrippedScrapeIsCutAtTheHeaderDeadlineAndTheNextIsAnswered() throws Exception {
        try (MetricsServer s = start(HttpLimits.metrics().withTimeouts(Duration.ofMillis(500), LONG, LONG))) {
            try (Socket slow = connect(s, "127.0.0.1")) {
                assertThat(dripUntilClosed(slow, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + "a".repeat(4000))).isTrue();
            }
            assertThat(scrape(s, "127.0.0.1")).startsWith("HTTP/1.1 200").endsWith("up 1\n");
        }
    }

    @Test
    void connectionsOverTheCapsAreRefusedAndOthersStillServed() throws Exception {
        try (MetricsServer s = start(HttpLimits.metrics().withTimeouts(LONG, LONG, LONG).withConnections(3, 2))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket slow = connect(s, "127.0.0.1");
                    slow.getOutputStream().write('G');
                    held.add(slow);
                }
                waitFor(() -> s.openConnections() == 2);
                try (Socket extra = connect(s, "127.0.0.1")) {
                    assertThat(extra.getInputStream().read()).isEqualTo(-1);
                }
                assertThat(scrape(s, "127.0.0.2")).startsWith("HTTP/1.1 200");
            } finally {
                for (Socket h : held) {
                    h.close();
                }
            }
            waitFor(() -> s.openConnections() == 0);
            assertThat(scrape(s, "127.0.0.1")).startsWith("HTTP/1.1 200");
        }
    }

    private static Socket connect(MetricsServer s, String from) throws IOException {
        Socket sock = new Socket();
        sock.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        sock.connect(s.address(), 10_000);
        sock.setSoTimeout(NEVER_MS);
        return sock;
    }

    private static String scrape(MetricsServer s, String from) throws IOException {
        try (Socket sock = connect(s, from)) {
            sock.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code text} a byte every 50 ms until the server closes; true when it closed before the text ran out. */
    private static boolean dripUntilClosed(Socket sock, String text) throws Exception {
        OutputStream out = sock.getOutputStream();
        InputStream in = sock.getInputStream();
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException closed) {
                return true;
            }
            Thread.sleep(50);
            sock.setSoTimeout(1);
            try {
                if (in.read() == -1) {
                    return true;
                }
                return false; // an answer to a request that never ended
            } catch (SocketTimeoutException stillOpen) {
                // keep dripping
            } finally {
                sock.setSoTimeout(NEVER_MS);
            }
        }
        return false;
    }

    private static void waitFor(BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not reached within 60 s");
            }
            Thread.sleep(10);
        }
    }
}
