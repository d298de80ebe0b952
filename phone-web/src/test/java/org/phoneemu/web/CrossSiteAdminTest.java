package org.phoneemu.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attack on the admin panel, over raw HTTP: POSTs to {@code /admin/run} with {@code Origin: null}
 * (a sandboxed frame), with no Origin, from another port of the same host, or without the page's form token ran
 * CUCM commands, with {@code --web-token} too. Only the server's own page may (same origin and form token).
 * The browser side is {@code CrossSiteAdminBrowserTest} (phone-ui-sim).
 */
class CrossSiteAdminTest {
    static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void group() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void close() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    static FleetView noPhones() {
        return FleetView.of("lab", List::of, Optional::empty, new BootStats());
    }

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final AdminConsole console = command -> {
        ran.add(command);
        return "ran " + command + "\n";
    };

    @Test
    void onlyThePagesOwnOriginWithItsFormTokenRunsACommand() throws Exception {
        try (WebServer s = WebServer.builder().options(WebOptions.loopback(0).withAdmin(true)).fleet(noPhones()).admin(console)
                .group(group).start()) {
            int port = s.address().getPort();
            String self = "http://127.0.0.1:" + port;
            String csrf = WebServerTest.formToken(WebServerTest.get(s, "/").body());
            String form = "csrf=" + csrf + "&command=file+get+tftp+ITLRecovery.p12+%2Ftmp%2Fx";

            assertThat(raw(s, "127.0.0.1:" + port, Optional.of("null"), form)).startsWith("HTTP/1.1 403").contains("Origin: null");
            assertThat(raw(s, "127.0.0.1:" + port, Optional.empty(), form)).startsWith("HTTP/1.1 403").contains("without an Origin");
            assertThat(raw(s, "127.0.0.1:" + port, Optional.of("http://127.0.0.1:" + (port == 1 ? 2 : port - 1)), form)).startsWith("HTTP/1.1 403");
            assertThat(raw(s, "127.0.0.1:" + port, Optional.of("https://127.0.0.1:" + port), form)).startsWith("HTTP/1.1 403");
            assertThat(raw(s, "localhost:" + port, Optional.of(self), form)).startsWith("HTTP/1.1 403");
            // The exact origin is not enough: the form token of the page is needed too.
            assertThat(raw(s, "127.0.0.1:" + port, Optional.of(self), "command=show+itl")).startsWith("HTTP/1.1 403").contains("form token");
            assertThat(raw(s, "127.0.0.1:" + port, Optional.of(self), "csrf=" + csrf + "x&command=show+itl")).startsWith("HTTP/1.1 403");
            assertThat(ran).isEmpty();

            assertThat(raw(s, "127.0.0.1:" + port, Optional.of(self), "csrf=" + csrf + "&command=show+itl")).startsWith("HTTP/1.1 200");
            assertThat(raw(s, "localhost:" + port, Optional.of("http://localhost:" + port), "csrf=" + csrf + "&command=show+version"))
                    .startsWith("HTTP/1.1 200");
            assertThat(ran).containsExactly("show itl", "show version");
        }
    }

    @Test
    void theReadTokenDoesNotMakeACrossSitePostSafe() throws Exception {
        try (WebServer s = WebServer.builder().options(WebOptions.loopback(0).withAdmin(true).withToken(WebServerTest.TOKEN))
                .fleet(noPhones()).admin(console).group(group).start()) {
            int port = s.address().getPort();
            HttpResponse<String> page = WebServerTest.get(s, "/", "Authorization", "Bearer " + WebServerTest.TOKEN);
            String csrf = WebServerTest.formToken(page.body());
            String bearer = "Authorization: Bearer " + WebServerTest.TOKEN + "\r\n";
            String form = "csrf=" + csrf + "&command=utils+reset+phones";
            assertThat(raw(s, "127.0.0.1:" + port, Optional.of("null"), form, bearer)).startsWith("HTTP/1.1 403");
            assertThat(raw(s, "127.0.0.1:" + port, Optional.empty(), form, bearer)).startsWith("HTTP/1.1 403");
            assertThat(raw(s, "127.0.0.1:" + port, Optional.of("http://127.0.0.1:" + port), "command=show+itl", bearer)).startsWith("HTTP/1.1 403");
            assertThat(ran).isEmpty();
            assertThat(raw(s, "127.0.0.1:" + port, Optional.of("http://127.0.0.1:" + port), form, bearer)).startsWith("HTTP/1.1 200");
            assertThat(ran).containsExactly("utils reset phones");
        }
    }

    @Test
    void aForwardedPortIsTheSameOriginButARebindingPageIsRefused() throws Exception {
        try (WebServer s = WebServer.builder().options(WebOptions.loopback(0).withAdmin(true)).fleet(noPhones()).admin(console)
                .group(group).start()) {
            int port = s.address().getPort();
            int forwarded = port == 65535 ? 1 : port + 1; // ssh -L, kubectl port-forward or docker -p in front of the server
            String csrf = WebServerTest.formToken(WebServerTest.get(s, "/").body());
            String form = "csrf=" + csrf + "&command=show+itl";
            assertThat(raw(s, "127.0.0.1:" + forwarded, Optional.of("http://127.0.0.1:" + forwarded), form)).startsWith("HTTP/1.1 200");
            assertThat(ran).containsExactly("show itl");
            // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 is "same origin" by Origin and
            // Host, even with a form token it read; the Host rule refuses it.
            assertThat(raw(s, "evil.example:" + port, Optional.of("http://evil.example:" + port), "csrf=" + csrf + "&command=utils+reset+phones"))
                    .startsWith("HTTP/1.1 403");
        }
        try (WebServer s = WebServer.builder().options(WebOptions.loopback(0).withAdmin(true).withToken(WebServerTest.TOKEN))
                .fleet(noPhones()).admin(console).group(group).start()) {
            int port = s.address().getPort();
            String csrf = WebServerTest.formToken(WebServerTest.get(s, "/", "Authorization", "Bearer " + WebServerTest.TOKEN).body());
            // With the token the Host may be any name (a server on a LAN address), so the token is what stops the page.
            assertThat(raw(s, "evil.example:" + port, Optional.of("http://evil.example:" + port), "csrf=" + csrf + "&command=utils+reset+phones"))
                    .startsWith("HTTP/1.1 401");
        }
        assertThat(ran).containsExactly("show itl");
    }

    @Test
    void aRefusedPostIsAnsweredWhileACommandRunsNotQueuedBehindIt() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        AdminConsole slow = command -> { // a key generation that takes a while
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done\n";
        };
        try (WebServer s = WebServer.builder().options(WebOptions.loopback(0).withAdmin(true)).fleet(noPhones()).admin(slow)
                .group(group).start()) {
            int port = s.address().getPort();
            String self = "http://127.0.0.1:" + port;
            String csrf = WebServerTest.formToken(WebServerTest.get(s, "/").body());
            java.util.concurrent.CompletableFuture<String> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return raw(s, "127.0.0.1:" + port, Optional.of(self), "csrf=" + csrf + "&command=set+cert+regen+tftp");
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            try {
                assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
                // The admin thread is busy; a cross-site POST is refused at once all the same (its read would time out if queued).
                for (int i = 0; i < 20; i++) {
                    assertThat(raw(s, "127.0.0.1:" + port, Optional.of("null"), "csrf=" + csrf + "&command=show+itl")).startsWith("HTTP/1.1 403");
                }
            } finally {
                gate.countDown();
            }
            assertThat(running.get(60, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
        }
    }

    /** A POST written by hand: the JDK client will not send a chosen Host, and a browser would not leave Origin out. */
    private static String raw(WebServer s, String host, Optional<String> origin, String form, String... extraHeaders) throws Exception {
        try (Socket sock = new Socket(s.address().getAddress(), s.address().getPort())) {
            sock.setSoTimeout(30_000);
            byte[] body = form.getBytes(StandardCharsets.US_ASCII);
            StringBuilder req = new StringBuilder("POST /admin/run HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n");
            origin.ifPresent(o -> req.append("Origin: ").append(o).append("\r\n"));
            for (String h : extraHeaders) {
                req.append(h);
            }
            req.append("\r\n");
            OutputStream out = sock.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = sock.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
