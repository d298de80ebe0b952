package org.phoneemu.webui;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.phoneemu.web.AdminConsole;
import org.phoneemu.web.BootStats;
import org.phoneemu.web.FleetView;
import org.phoneemu.web.WebOptions;
import org.phoneemu.web.WebServer;
import org.slf4j.LoggerFactory;

/**
 * The attack in a real browser (headless Chromium): pages of another origin (another port of the same
 * host) and a sandboxed frame (which sends {@code Origin: null}) posted {@code file get tftp ITLRecovery.p12 <folder>}
 * to the admin panel, and it ran. Now nothing they send runs; the dashboard's own panel still does.
 */
class CrossSiteAdminBrowserTest {
    static final String COMMAND = "file get tftp ITLRecovery.p12 /tmp/stolen";
    static final Duration WAIT = Duration.ofSeconds(60);

    static MultiThreadIoEventLoopGroup group;
    static WebServer web;
    static Channel hostile;
    static HeadlessChromium chromium;
    static final List<String> ran = new CopyOnWriteArrayList<>();
    static final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        log.start();
        Logger routes = (Logger) LoggerFactory.getLogger("org.phoneemu.web.WebRoutes");
        routes.setLevel(ch.qos.logback.classic.Level.INFO); // the refusals are WARN lines, rate-limited
        routes.addAppender(log);
        chromium = new HeadlessChromium();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AdminConsole console = command -> {
            ran.add(command);
            return "ran " + command + "\n";
        };
        web = WebServer.builder().options(WebOptions.loopback(0).withAdmin(true))
                .fleet(FleetView.of("lab", List::of, Optional::empty, new BootStats())).admin(console).group(group).start();
        hostile = hostileSite(pages(web.url() + "admin/run"));
    }

    @AfterAll
    static void stop() throws Exception {
        Logger routes = (Logger) LoggerFactory.getLogger("org.phoneemu.web.WebRoutes");
        routes.detachAppender(log);
        routes.setLevel(null);
        if (chromium != null) {
            chromium.close();
        }
        if (web != null) {
            web.close();
        }
        if (hostile != null) {
            hostile.close().sync();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aFormOfAnotherOriginIsRefused() {
        chromium.driver.get(hostileUrl("/form"));
        // The form navigates the window to the panel's answer.
        new WebDriverWait(chromium.driver, WAIT).until(d -> d.getPageSource().contains("refused"));
        assertThat(chromium.driver.getPageSource()).contains("cross-origin admin request refused");
        assertThat(ran).doesNotContain(COMMAND);
    }

    @Test
    void aFetchOfAnotherOriginIsRefused() {
        long before = refusals();
        chromium.driver.get(hostileUrl("/fetch"));
        new WebDriverWait(chromium.driver, WAIT).until(d -> "sent".equals(d.getTitle()));
        waitForRefusal(before, "cross-origin admin request refused");
        assertThat(ran).doesNotContain(COMMAND);
    }

    @Test
    void aSandboxedFrameSendingOriginNullIsRefused() {
        // The frame cannot show the answer (the panel may not be framed), so the server's log line says what it refused.
        long before = refusals();
        chromium.driver.get(hostileUrl("/sandbox"));
        waitForRefusal(before, "Origin: null");
        assertThat(ran).doesNotContain(COMMAND);
    }

    /** The server's count of refused cross-site admin requests (its log line about them is rate-limited). */
    private static long refusals() {
        return web.crossSiteRefusals();
    }

    private static void waitForRefusal(long before, String what) {
        new WebDriverWait(chromium.driver, WAIT).until(d -> refusals() > before);
        assertThat(web.lastCrossSiteRefusal()).hasValueSatisfying(why -> assertThat(why).contains(what));
        assertThat(log.list).as("the refusal is logged (at most once per 10 s)").isNotEmpty();
    }

    @Test
    void theDashboardsOwnPanelStillRunsCommands() {
        chromium.driver.get(web.url());
        chromium.driver.findElement(By.id("admin-command")).sendKeys("show itl");
        chromium.driver.findElement(By.id("admin-run")).click();
        new WebDriverWait(chromium.driver, WAIT).until(d -> d.findElement(By.id("admin-output")).getText().contains("ran show itl"));
        assertThat(ran).contains("show itl").doesNotContain(COMMAND);
    }

    private static String hostileUrl(String path) {
        return "http://127.0.0.1:" + ((InetSocketAddress) hostile.localAddress()).getPort() + path;
    }

    /** The attacker's pages, each posting the command to {@code target} as soon as it loads. */
    private static Map<String, String> pages(String target) {
        String form = "<form id=f method=post action='" + target + "'><input name=command value='" + COMMAND + "'></form>"
                + "<script>document.getElementById('f').submit()</script>";
        String fetch = "<script>fetch('" + target + "', {method: 'POST', mode: 'no-cors', body: new URLSearchParams({command: '"
                + COMMAND + "'})}).finally(function () { document.title = 'sent'; });</script>";
        String sandbox = "<iframe sandbox='allow-forms allow-scripts' srcdoc=\"" + form.replace("'", "&#39;").replace("\"", "&quot;")
                + "\"></iframe>";
        return Map.of("/form", form, "/fetch", "<title>sending</title>" + fetch, "/sandbox", sandbox);
    }

    /** A plain page server on another port: another origin for the browser. */
    private static Channel hostileSite(Map<String, String> pages) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                String page = pages.get(req.uri());
                                DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                        page == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK,
                                        Unpooled.copiedBuffer("<!doctype html><html><body>" + (page == null ? "" : page) + "</body></html>",
                                                StandardCharsets.UTF_8));
                                r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                                        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                                        .set(HttpHeaderNames.CONNECTION, "close");
                                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }
}
