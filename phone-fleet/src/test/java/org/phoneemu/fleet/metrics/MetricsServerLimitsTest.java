package org.phoneemu.fleet.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phoneemu.net.LoopbackClient.connect;
import static org.phoneemu.net.LoopbackClient.dripUntilClosed;
import static org.phoneemu.net.LoopbackClient.waitFor;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phoneemu.net.HttpLimits;
import org.phoneemu.net.BoundedHttp;
import org.slf4j.LoggerFactory;

/**
 * The attack on the metrics endpoint: a scrape dripped at one byte every 5 s stayed open past 90 s (the
 * read timeout restarted on each byte), and connections were not capped. Deadlines are set short through
 * {@link HttpLimits}; the tests wait for the server to close, never for a time to pass.
 */
class MetricsServerLimitsTest {
    private static final Duration LONG = Duration.ofMinutes(5);

    private static MetricsServer start(HttpLimits limits) throws IOException {
        return MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> "up 1\n", limits);
    }

    @Test
    void aDrippedScrapeIsCutAtTheHeaderDeadlineAndTheNextIsAnswered() throws Exception {
        try (MetricsServer s = start(HttpLimits.metrics().withTimeouts(Duration.ofMillis(500), LONG, LONG))) {
            try (Socket slow = connect(s.address(), "127.0.0.1")) {
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
                    Socket slow = connect(s.address(), "127.0.0.1");
                    slow.getOutputStream().write('G');
                    held.add(slow);
                }
                waitFor(() -> s.openConnections() == 2);
                try (Socket extra = connect(s.address(), "127.0.0.1")) {
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

    @Test
    void aBodyOverTheLimitIsRefused() throws Exception {
        try (MetricsServer s = start(HttpLimits.metrics()); Socket big = connect(s.address(), "127.0.0.1")) {
            big.getOutputStream().write(("POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (HttpLimits.metrics().maxRequestBytes() + 1)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(big.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsCutAtTheIdleDeadline() throws Exception {
        try (MetricsServer s = start(HttpLimits.metrics().withTimeouts(LONG, LONG, Duration.ofMillis(500)));
             Socket quiet = connect(s.address(), "127.0.0.1")) {
            assertThat(quiet.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aResetConnectionIsClosedWithOneLineFromTheLastHandler() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(BoundedHttp.class); // LastResort writes through the server's own log
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try (MetricsServer s = start(HttpLimits.metrics())) {
            Socket reset = connect(s.address(), "127.0.0.1");
            reset.getOutputStream().write('G');
            waitFor(() -> s.openConnections() == 1);
            reset.setSoLinger(true, 0); // close with a TCP reset: the server's next read fails
            reset.close();
            waitFor(() -> seen.list.stream().anyMatch(e -> e.getFormattedMessage().contains("closing the connection after")),
                    "the last handler's line");
            assertThat(seen.list).allMatch(e -> e.getThrowableProxy() == null);
        } finally {
            logger.detachAppender(seen);
        }
    }

    private static String scrape(MetricsServer s, String from) throws IOException {
        try (Socket sock = connect(s.address(), from)) {
            sock.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
