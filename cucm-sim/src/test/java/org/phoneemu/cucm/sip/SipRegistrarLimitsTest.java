package org.phoneemu.cucm.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.cucm.net.ConnectionLimits;

/** The registrar's connection limits against clients that misbehave on purpose, over loopback with a short deadline. */
class SipRegistrarLimitsTest {
    static final Duration DEADLINE = Duration.ofMillis(800);
    static final KeyMaterial CALLMANAGER = TestPki.rsa("CN=pub.lab.example,O=cisco", 1024, 16);
    static EventLoopGroup group;
    static SipRegistrar registrar;
    static InetSocketAddress tcp;
    static final List<String> trace = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        RegistrarDirectory none = new RegistrarDirectory() {
            @Override
            public Optional<DeviceSpec> device(String deviceName) {
                return Optional.empty();
            }

            @Override
            public boolean isDeviceCertificate(String deviceName, java.util.List<X509Certificate> chain) {
                return false;
            }

            @Override
            public Instant now() {
                return Instant.parse("2026-12-06T10:00:00Z");
            }
        };
        registrar = new SipRegistrar(group, "pub", new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                () -> CALLMANAGER, none, trace::add, new ConnectionLimits(Duration.ofSeconds(5), DEADLINE, 16, 16));
        tcp = registrar.bind().get(30, TimeUnit.SECONDS)[0];
    }

    @AfterAll
    static void stop() throws Exception {
        registrar.close().get(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    static final String RESPONSE = "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.9:5060;branch=z9hG4bK1\r\nCall-ID: x\r\n"
            + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    @Test
    void aClientSendingOnlyResponsesIsClosedAtTheRequestDeadline() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(tcp, 5000);
            s.setSoTimeout((int) (DEADLINE.toMillis() / 4));
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // A response every quarter deadline (each one whole message) for at most 100 deadlines: the server must close.
            boolean closed = false;
            for (int i = 0; i < 400 && !closed; i++) {
                try {
                    out.write(RESPONSE.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    closed = in.read() < 0;
                } catch (java.net.SocketTimeoutException quiet) {
                    // nothing to read yet: send the next one
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed by the registrar").isTrue();
        }
        assertThat(trace).anySatisfy(l -> assertThat(l).contains("no request within " + DEADLINE.toMillis() + " ms"));
    }

    @Test
    void aClientThatNeverReadsIsPausedThenClosedAndWhatItGotToSendStaysBounded() throws Exception {
        String options = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.9:5060;branch=z9hG4bK" + "a".repeat(4096) + "\r\n"
                + "From: <sip:x@127.0.0.9>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: y\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        byte[] one = options.getBytes(StandardCharsets.US_ASCII);
        long limit = 256L << 20; // without backpressure the server takes all of it, answering into memory
        long sent = 0;
        boolean closed = false;
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(tcp, 5000);
            OutputStream out = s.getOutputStream();
            try {
                while (sent < limit) {
                    out.write(one);
                    sent += one.length;
                }
            } catch (IOException closedByServer) {
                closed = true;
            }
        }
        assertThat(closed).as("closed by the registrar").isTrue();
        // The server stops reading once its answers pass the write high water mark (64 KB); what the client got to
        // send is then that, one read batch, and the kernel's socket buffers on both sides: a few MB at most.
        assertThat(sent).isLessThan(16L << 20);
    }

    @Test
    void methodNamesAClientMakesUpAreCountedUnderOneKey() throws Exception {
        int names = 1000;
        try (Socket s = new Socket()) {
            s.connect(tcp, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < names; i++) {
                String method = "MADEUP" + i;
                String request = method + " sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.9:5060;branch=z9hG4bK" + i + "\r\n"
                        + "From: <sip:x@127.0.0.9>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: m" + i + "\r\nCSeq: 1 " + method
                        + "\r\nContent-Length: 0\r\n\r\n";
                out.write(request.getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            // Every request is answered (405) on the same connection: read until the last answer's Call-ID has come.
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[8192];
            while (got.indexOf("Call-ID: m" + (names - 1) + "\r\n") < 0) {
                int n = in.read(buf);
                assertThat(n).as("connection kept open").isPositive();
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
        }
        RegistrarCounts counts = registrar.counts();
        assertThat(counts.requests().keySet()).hasSizeLessThanOrEqualTo(3).contains("other");
        assertThat(counts.requests().get("other")).isGreaterThanOrEqualTo(names);
        assertThat(counts.answers().keySet()).hasSizeLessThanOrEqualTo(4);
    }
}
