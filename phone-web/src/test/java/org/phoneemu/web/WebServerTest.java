package org.phoneemu.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;

/** The server over loopback with the JDK's HTTP client: the token rules, the admin switch, escaping, the routes. */
class WebServerTest {
    static final String TOKEN = "s3cret-token-1";
    static MultiThreadIoEventLoopGroup group;
    static NettyPhoneNetwork network;
    static Phone phone;
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void phone() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
        phone = Phone.builder().mac("0011223344AA").flash(tmp.resolve("flash")).clock(Clock.systemUTC()).network(network).micBits(1024)
                .tftpServer(new java.net.InetSocketAddress("127.0.0.1", 9)).build(); // never booted here
        phone.statusMessages().add("<script>alert(1)</script> & more");
    }

    @AfterAll
    static void close() throws Exception {
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    static FleetView fleet() {
        return FleetView.of("test <fleet>", () -> List.of(phone), () -> Optional.of("00112233445566778899aabbccddeeff"), new BootStats());
    }

    static HttpResponse<String> get(WebServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url()).resolve(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNonLoopbackBindWithoutATokenIsRefusedAtStart() {
        WebOptions open = new WebOptions("0.0.0.0", 0, Optional.empty(), false);
        assertThatThrownBy(() -> WebServer.builder().options(open).fleet(fleet()).group(group).start())
                .isInstanceOf(WebConfigException.class).hasMessageContaining("--web-token");
        assertThatThrownBy(open::checkedAddress).hasMessageContaining("not a loopback address");
        assertThatThrownBy(() -> WebOptions.loopback(0).withToken("short").checkedAddress()).hasMessageContaining("8 to 256");
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        try (WebServer s = WebServer.builder().options(WebOptions.loopback(0).withToken(TOKEN)).fleet(fleet()).group(group).start()) {
            HttpResponse<String> none = get(s, "/");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"phone-emu\"");
            assertThat(none.body()).doesNotContain("SEP0011223344AA");
            assertThat(get(s, "/phones/SEP0011223344AA/").statusCode()).isEqualTo(401);
            assertThat(get(s, "/static/style.css").statusCode()).isEqualTo(401);
            assertThat(get(s, "/", "Authorization", "Bearer wrong-token-x").statusCode()).isEqualTo(401);
            assertThat(get(s, "/?token=" + TOKEN + "x").statusCode()).isEqualTo(401);

            HttpResponse<String> bearer = get(s, "/", "Authorization", "Bearer " + TOKEN);
            assertThat(bearer.statusCode()).isEqualTo(200);
            assertThat(bearer.body()).contains("SEP0011223344AA");

            HttpResponse<String> query = get(s, "/?token=" + TOKEN);
            assertThat(query.statusCode()).isEqualTo(200);
            String cookie = query.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
            assertThat(get(s, "/phones/SEP0011223344AA/", "Cookie", cookie.substring(0, cookie.indexOf(';'))).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void phonePageEscapesWhatItShowsAndSendsAStrictPolicy() throws Exception {
        try (WebServer s = WebServer.builder().fleet(fleet()).group(group).start()) {
            HttpResponse<String> page = get(s, "/phones/SEP0011223344AA/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more").doesNotContain("<script>alert");
            // Timed as the phone shows a status message: the time of day, no date.
            assertThat(page.body()).containsPattern("(?s)id=\"status-messages\">.*?<td class=\"mono\">\\d\\d:\\d\\d:\\d\\d</td><td>&lt;script");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
            assertThat(get(s, "/").body()).contains("test &lt;fleet&gt;");
            assertThat(get(s, "/phones/sep0011223344aa").headers().firstValue("Location")).contains("/phones/SEP0011223344AA/");
            assertThat(get(s, "/phones/SEP0011223344FF/").statusCode()).isEqualTo(404);
            assertThat(get(s, "/static/dashboard.js").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        }
    }

    @Test
    void aPhoneWhoseBootAServerRefusedIsCountedApartOnTheDashboard() throws Exception {
        BootStats stats = new BootStats();
        FleetView view = FleetView.of("refusals", () -> List.of(phone), Optional::empty, stats);
        try (WebServer s = WebServer.builder().fleet(view).group(group).start()) {
            assertThat(get(s, "/").body()).contains("id=\"count-server-refused\">0<").contains("id=\"count-not-booted\">1<");

            stats.serverRefused(phone.mac(), true);
            String refused = get(s, "/").body();
            assertThat(refused).contains("id=\"count-server-refused\">1<").contains("id=\"count-not-booted\">0<")
                    .contains("badge v-server-refused");
            assertThat(get(s, "/phones/SEP0011223344AA/").body()).contains("id=\"verdict\">server refused<");

            stats.serverRefused(phone.mac(), false); // the next boot was served
            assertThat(get(s, "/").body()).contains("id=\"count-server-refused\">0<");
        }
    }

    @Test
    void aSinglePhoneServerLeadsToThePhone() throws Exception {
        try (WebServer s = WebServer.builder().fleet(fleet()).dashboard(false).group(group).start()) {
            HttpResponse<String> root = get(s, "/");
            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("Location")).contains("/phones/SEP0011223344AA/");
            assertThat(get(s, "/fragment/live").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutATokenAForeignHostHeaderIsRefused() throws Exception {
        try (WebServer s = WebServer.builder().fleet(fleet()).group(group).start()) {
            assertThat(rawStatus(s, "evil.example:" + s.address().getPort())).isEqualTo(403);
            assertThat(rawStatus(s, "localhost:" + s.address().getPort())).isEqualTo(200);
        }
    }

    @Test
    void theAdminPanelIsOffUnlessAskedAndRefusesOtherOrigins() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        AdminConsole console = command -> {
            ran.add(command);
            return "ran <" + command + ">\n";
        };
        try (WebServer off = WebServer.builder().fleet(fleet()).admin(console).group(group).start()) {
            assertThat(post(off, "/admin/run", "command=show+itl", Optional.empty()).statusCode()).isEqualTo(404);
            assertThat(get(off, "/").body()).doesNotContain("admin-command");
        }
        try (WebServer on = WebServer.builder().options(WebOptions.loopback(0).withAdmin(true)).fleet(fleet()).admin(console).group(group).start()) {
            String page = get(on, "/").body();
            assertThat(page).contains("admin-command");
            String csrf = formToken(page);
            HttpResponse<String> r = post(on, "/admin/run", "csrf=" + csrf + "&command=show+itl", Optional.of("http://127.0.0.1:" + on.address().getPort()));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("ran &lt;show itl&gt;");
            assertThat(post(on, "/admin/run", "csrf=" + csrf + "&command=utils+reset+phones", Optional.of("http://evil.example")).statusCode())
                    .isEqualTo(403);
            assertThat(post(on, "/admin/run", "csrf=" + csrf + "&command=", Optional.of("http://127.0.0.1:" + on.address().getPort())).statusCode())
                    .isEqualTo(400);
            assertThat(ran).containsExactly("show itl");
        }
    }

    /** The form token the dashboard writes into its admin forms. */
    static String formToken(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("the page carries a form token").isTrue();
        return m.group(1);
    }

    static HttpResponse<String> post(WebServer s, String path, String form, Optional<String> origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url()).resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Requested-With", "fetch")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        origin.ifPresent(o -> b.header("Origin", o));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JDK client will not send a foreign Host header, so this one is written by hand. */
    private static int rawStatus(WebServer s, String host) throws Exception {
        try (Socket sock = new Socket(s.address().getAddress(), s.address().getPort())) {
            sock.setSoTimeout(10_000);
            OutputStream out = sock.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
