package org.phoneemu.web;

import static org.phoneemu.web.Html.escape;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phoneemu.net.RateLimitedLog;
import org.phoneemu.phone.Phone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Request to response: the token check, then the pages. Runs on worker threads, never on the event loop. */
final class WebRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(WebRoutes.class);
    private static final Pattern PHONE_PATH = Pattern.compile("/phones/SEP([0-9A-F]{12})/?", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOOPBACK_HOST = Pattern.compile("(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d{1,5})?",
            Pattern.CASE_INSENSITIVE);
    /** The longest admin command accepted. */
    static final int MAX_COMMAND = 512;

    private final FleetView fleet;
    private final Optional<AdminConsole> admin;
    private final boolean dashboard;
    private final TokenCheck token;
    private final StaticFiles files;
    private final PhonePage phonePage;
    private final DashboardPage dashboardPage;
    private final CrossSiteCheck crossSite = new CrossSiteCheck();
    /** Any page on the web can send these: one line per 10 s, not one per request. */
    private final RateLimitedLog crossSiteLog = new RateLimitedLog(LOG, "refused cross-site admin requests");
    /** Every refusal counted, the log being rate-limited: what the server and its tests can see of them. */
    private final java.util.concurrent.atomic.AtomicLong crossSiteRefused = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastCrossSiteRefusal;

    WebRoutes(FleetView fleet, Optional<AdminConsole> admin, boolean dashboard, TokenCheck token, ZoneId zone, StaticFiles files) {
        this.fleet = fleet;
        this.admin = admin;
        this.dashboard = dashboard;
        this.token = token;
        this.files = files;
        this.phonePage = new PhonePage(zone);
        this.dashboardPage = new DashboardPage(fleet, admin, crossSite.formToken(), zone);
    }

    /**
     * The refusals that need no page and no console: a missing token, a foreign Host, an admin POST that is not from
     * this server's own page. Cheap (no I/O), so {@link WebHandler} asks on the event loop and a refused admin POST
     * never waits in the admin thread's queue ahead of the user's command.
     */
    Optional<WebResponse> refusal(WebRequest req) {
        Optional<WebResponse> refused = authorize(req);
        if (refused.isPresent() || admin.isEmpty() || !req.path().startsWith("/admin/") || !req.method().equals("POST")) {
            return refused;
        }
        // Only this server's own page may change something: its exact origin and its form token (CrossSiteCheck).
        return crossSite.refusal(req).map(why -> {
            crossSiteLog.warn(req.origin().orElse("-"), "web admin: " + req.method() + " " + req.path() + ": " + why);
            lastCrossSiteRefusal = why;
            crossSiteRefused.incrementAndGet();
            return WebResponse.text(HttpResponseStatus.FORBIDDEN, "phone-emu: " + why);
        });
    }

    long crossSiteRefused() {
        return crossSiteRefused.get();
    }

    Optional<String> lastCrossSiteRefusal() {
        return Optional.ofNullable(lastCrossSiteRefusal);
    }

    WebResponse handle(WebRequest req) {
        Optional<WebResponse> refused = refusal(req);
        if (refused.isPresent()) {
            return refused.get();
        }
        WebResponse r;
        try {
            r = route(req);
        } catch (RuntimeException e) {
            LOG.warn("web: {} {} failed", req.method(), req.path(), e);
            r = WebResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "phone-emu: " + e);
        }
        if (token.required() && req.queryParam("token").filter(token::matches).isPresent()) {
            // The browser keeps the token for the links and live updates of this page; Strict keeps other sites out.
            r = r.withHeader("Set-Cookie", TokenCheck.COOKIE + "=" + req.queryParam("token").get() + "; Path=/; HttpOnly; SameSite=Strict");
        }
        return r;
    }

    private Optional<WebResponse> authorize(WebRequest req) {
        if (!token.required()) {
            // Without a token the server listens on loopback only; a foreign Host header means a page of another
            // site reached it through DNS rebinding.
            if (req.host().isPresent() && !LOOPBACK_HOST.matcher(req.host().get()).matches()) {
                return Optional.of(WebResponse.text(HttpResponseStatus.FORBIDDEN, "phone-emu: unexpected Host header"));
            }
            return Optional.empty();
        }
        Optional<String> presented = req.authorization().filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7)).map(a -> a.substring(7).trim())
                .or(() -> req.queryParam("token"))
                .or(() -> req.cookie().flatMap(WebRoutes::tokenCookie));
        if (presented.isPresent() && token.matches(presented.get())) {
            return Optional.empty();
        }
        return Optional.of(WebResponse.text(HttpResponseStatus.UNAUTHORIZED,
                        "phone-emu: this server needs its token: 'Authorization: Bearer TOKEN' or ?token=TOKEN")
                .withHeader("WWW-Authenticate", "Bearer realm=\"phone-emu\""));
    }

    private static Optional<String> tokenCookie(String header) {
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(TokenCheck.COOKIE + "=")) {
                return Optional.of(p.substring(TokenCheck.COOKIE.length() + 1));
            }
        }
        return Optional.empty();
    }

    private WebResponse route(WebRequest req) {
        String path = req.path();
        boolean get = req.method().equals("GET") || req.method().equals("HEAD");
        if (path.startsWith("/static/") && get) {
            return files.get(path.substring("/static/".length()))
                    .map(f -> new WebResponse(HttpResponseStatus.OK, f.contentType(), f.bytes(), Map.of()))
                    .orElseGet(() -> notFound(path));
        }
        if (path.equals("/") && get) {
            if (!dashboard) {
                return fleet.phones().stream().findFirst().map(p -> WebResponse.redirect("/phones/" + p.name() + "/"))
                        .orElseGet(() -> notFound(path));
            }
            return WebResponse.html(dashboardPage.render(DashboardPage.View.parse(req.query())));
        }
        if (path.equals("/fragment/live") && get && dashboard) {
            return WebResponse.html(dashboardPage.live(DashboardPage.View.parse(req.query())));
        }
        Matcher m = PHONE_PATH.matcher(path);
        if (m.matches() && get) {
            Optional<Phone> phone = fleet.phone(m.group(1));
            if (phone.isEmpty()) {
                return notFound(path);
            }
            if (!path.equals("/phones/" + phone.get().name() + "/")) {
                return WebResponse.redirect("/phones/" + phone.get().name() + "/");
            }
            Optional<String> clusterMd5 = fleet.clusterItlMd5();
            return WebResponse.html(phone.get().view(p -> phonePage.render(p, clusterMd5, fleet.bootStats(), dashboard)));
        }
        if (path.startsWith("/admin/")) {
            return adminRoute(req);
        }
        if (!get && !req.method().equals("POST")) {
            return WebResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "phone-emu: method not allowed");
        }
        return notFound(path);
    }

    private WebResponse adminRoute(WebRequest req) {
        if (admin.isEmpty()) {
            return WebResponse.text(HttpResponseStatus.NOT_FOUND, "phone-emu: the admin panel is off (start with --web-admin)");
        }
        if (!req.method().equals("POST")) {
            return WebResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "phone-emu: POST only");
        }
        AdminConsole console = admin.get();
        String shown;
        if (req.path().equals("/admin/run")) {
            String command = req.formParam("command").map(String::strip).orElse("");
            if (command.isEmpty() || command.length() > MAX_COMMAND || command.chars().anyMatch(c -> c < 0x20)) {
                return WebResponse.text(HttpResponseStatus.BAD_REQUEST, "phone-emu: give one command line of at most " + MAX_COMMAND + " characters");
            }
            LOG.info("web admin: {}", command);
            String out;
            try {
                out = console.run(command);
            } catch (RuntimeException e) {
                out = "Executed command unsuccessfully\n" + e.getMessage();
            }
            shown = DashboardPage.adminOutput(command, out);
        } else if (req.path().equals("/admin/control")) {
            String id = req.formParam("id").orElse("");
            if (console.controls().stream().noneMatch(c -> c.id().equals(id))) {
                return WebResponse.text(HttpResponseStatus.BAD_REQUEST, "phone-emu: no such control");
            }
            LOG.info("web admin control: {}", id);
            shown = "<span class=\"echo\">(" + escape(console.control(id)) + ")</span>\n";
        } else {
            return notFound(req.path());
        }
        if (req.fragment()) {
            return WebResponse.html(shown);
        }
        String body = "<main class=\"dashboard\"><h1>CUCM admin</h1><pre class=\"console admin-output\" id=\"admin-output\">" + shown
                + "</pre><p><a href=\"/#admin\">&larr; back to the dashboard</a></p></main>";
        return WebResponse.html(Layout.page("CUCM admin - phone-emu", " <span class=\"crumb\">/</span> <span class=\"crumb\">admin</span>", body, null));
    }

    private static WebResponse notFound(String path) {
        byte[] body = Layout.page("Not found - phone-emu", "", "<main class=\"dashboard\"><h1>Not found</h1><p>No page at <code>"
                + escape(path) + "</code>.</p><p><a href=\"/\">Home</a></p></main>", null).getBytes(StandardCharsets.UTF_8);
        return new WebResponse(HttpResponseStatus.NOT_FOUND, "text/html; charset=utf-8", body, Map.of());
    }
}
