package org.phoneemu.web;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.phoneemu.net.BoundedHttp;
import org.phoneemu.net.HttpLimits;

/**
 * Serves the phones' pages ({@code /phones/SEP<MAC>/}) and, for a lab or a fleet, the dashboard at {@code /}, over
 * Netty's HTTP codec. Pages are rendered on a small worker pool and admin commands on a thread of their own, so
 * the event loop only reads and writes.
 *
 * <pre>{@code
 * WebServer web = WebServer.builder().options(WebOptions.loopback(8080)).fleet(fleet).group(group).start();
 * System.out.println("Dashboard: " + web.url());
 * }</pre>
 */
public final class WebServer implements AutoCloseable {
    /**
     * Page requests waiting for a worker. Each connection hands on one request at a time, so this bounds what the
     * connections' cap lets through; beyond it a request is answered 503 at once.
     */
    static final int PAGE_QUEUE = 64;
    /** Admin commands waiting for the admin thread (a key generation can take seconds). */
    static final int ADMIN_QUEUE = 16;
    private final Channel channel;
    private final ExecutorService pages;
    private final ExecutorService admin;
    private final InetSocketAddress address;
    private final BoundedHttp http;

    private final WebRoutes routes;

    private WebServer(Channel channel, ExecutorService pages, ExecutorService admin, BoundedHttp http, WebRoutes routes) {
        this.routes = routes;
        this.channel = channel;
        this.pages = pages;
        this.admin = admin;
        this.http = http;
        this.address = (InetSocketAddress) channel.localAddress();
    }

    /** Cross-site admin requests refused so far (each one, though the log line about them is rate-limited). */
    public long crossSiteRefusals() {
        return routes.crossSiteRefused();
    }

    /** Why the last cross-site admin request was refused. */
    public Optional<String> lastCrossSiteRefusal() {
        return routes.lastCrossSiteRefusal();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return address;
    }

    /** The URL to open, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        InetAddress a = address.getAddress();
        String host = a.getHostAddress();
        if (a instanceof java.net.Inet6Address) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + address.getPort() + "/";
    }

    /** Connections open now (each counts against {@link HttpLimits}' caps). */
    public int openConnections() {
        return http.openConnections();
    }

    /** Page requests waiting for a worker now (for the tests). */
    int pagesWaiting() {
        return ((ThreadPoolExecutor) pages).getQueue().size();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        pages.shutdownNow();
        admin.shutdownNow();
    }

    /** Builds and starts a {@link WebServer}. */
    public static final class Builder {
        private WebOptions options = WebOptions.loopback(0);
        private FleetView fleet;
        private AdminConsole console;
        private EventLoopGroup group;
        private boolean dashboard = true;
        private ZoneId zone = ZoneId.systemDefault();
        private HttpLimits limits = HttpLimits.web();
        private int pageQueue = PAGE_QUEUE;

        public Builder options(WebOptions o) {
            this.options = Objects.requireNonNull(o);
            return this;
        }

        public Builder fleet(FleetView f) {
            this.fleet = Objects.requireNonNull(f);
            return this;
        }

        /** The CUCM console behind the admin panel; the panel shows only when the options turn it on. */
        public Builder admin(AdminConsole c) {
            this.console = c;
            return this;
        }

        public Builder group(EventLoopGroup g) {
            this.group = Objects.requireNonNull(g);
            return this;
        }

        /** False for a single phone ({@code boot --web}): {@code /} then leads to the phone's page. */
        public Builder dashboard(boolean on) {
            this.dashboard = on;
            return this;
        }

        /** The time zone console lines and status messages are shown in. */
        public Builder zone(ZoneId z) {
            this.zone = Objects.requireNonNull(z);
            return this;
        }

        /** Connection caps, deadlines and the body limit ({@link HttpLimits#web()} unless tests shorten them). */
        public Builder limits(HttpLimits l) {
            this.limits = Objects.requireNonNull(l);
            return this;
        }

        /** Checks the options, binds, and returns the running server. Call from a thread that may block (not an event loop). */
        public WebServer start() throws WebConfigException {
            Objects.requireNonNull(fleet, "fleet");
            Objects.requireNonNull(group, "group");
            InetAddress bind = options.checkedAddress();
            if (options.admin() && console == null) {
                throw new WebConfigException("--web-admin needs the built-in simulated cluster (lab)");
            }
            ExecutorService pages = bounded(2, pageQueue, "web-pages");
            ExecutorService admin = bounded(1, ADMIN_QUEUE, "web-admin");
            WebRoutes routes = new WebRoutes(fleet, options.admin() ? Optional.of(console) : Optional.empty(), dashboard,
                    new TokenCheck(options.token()), zone, new StaticFiles());
            BoundedHttp http = BoundedHttp.on(group, limits, "web", p -> p.addLast("web", new WebHandler(routes, pages, admin)));
            try {
                Channel ch = http.bootstrap().bind(new InetSocketAddress(bind, options.port())).syncUninterruptibly().channel();
                return new WebServer(ch, pages, admin, http, routes);
            } catch (Exception e) { // Netty rethrows the bind failure (a checked BindException) as is
                pages.shutdownNow();
                admin.shutdownNow();
                throw new WebConfigException("cannot listen on " + options.bind() + ":" + options.port() + ": " + e.getMessage());
            }
        }

        /** Package-private for the tests: how many page requests may wait for a worker before the next is answered 503. */
        Builder pageQueue(int n) {
            this.pageQueue = n;
            return this;
        }

        /** {@code threads} workers and at most {@code queue} tasks waiting; one more is rejected (answered 503). */
        private static ExecutorService bounded(int threads, int queue, String name) {
            return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), daemon(name));
        }

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            return r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            };
        }
    }
}
