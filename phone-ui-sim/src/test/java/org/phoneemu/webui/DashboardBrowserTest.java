package org.phoneemu.webui;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.phoneemu.cli.Cli;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.lab.Lab;
import org.phoneemu.lab.LabAdminConsole;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.web.WebOptions;
import org.phoneemu.web.WebServer;

/**
 * The dashboard of a running lab (config/clusters/lab.yaml, three phones) in headless Chromium: every phone listed
 * with its state; the seed story played through the admin panel (the phones lock, then recover) with the counters
 * following without a reload; a phone's page against {@code phone trust-list}; the token in a browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(120);
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path tmp;
    static MultiThreadIoEventLoopGroup group;
    static NettyPhoneNetwork network;
    static Lab lab;
    static WebServer web;
    static HeadlessChromium chromium;

    @BeforeAll
    static void labWithDashboard() throws Exception {
        chromium = new HeadlessChromium();
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
        VirtualClock clock = new VirtualClock(Instant.parse("2026-11-26T09:00:00Z"));
        Cluster cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/clusters/lab.yaml"))
                .stateDirectory(tmp.resolve("cluster")).clock(clock).freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
        List<String> macs = cluster.spec().devices().stream().map(d -> d.mac()).toList();
        lab = Lab.start(cluster, macs, tmp.resolve("phones"), clock, network, 1024);
        assertThat(lab.bootAll().get(2, TimeUnit.MINUTES)).allMatch(BootReport::trusted);
        lab.followResets(e -> { });
        web = WebServer.builder().options(WebOptions.loopback(0).withAdmin(true)).fleet(lab)
                .admin(new LabAdminConsole(lab, Optional.of(clock))).group(group).start();
    }

    @AfterAll
    static void close() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (web != null) {
            web.close();
        }
        if (lab != null) {
            lab.close();
        }
        if (network != null) {
            network.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    @Order(1)
    void theDashboardListsEveryPhoneWithItsState() throws Exception {
        chromium.driver.get(web.url());
        List<Map<String, String>> rows = rows();
        assertThat(rows).extracting(r -> r.get("mac"))
                .containsExactlyElementsOf(lab.phones().stream().map(Phone::mac).sorted().toList());
        for (Map<String, String> row : rows) {
            assertThat(row.get("verdict")).isEqualTo("trusted");
            assertThat(row.get("trust")).isEqualTo("ITL only");
        }
        assertThat(text("count-phones")).isEqualTo("3");
        assertThat(text("count-trusted")).isEqualTo("3");
        assertThat(text("count-locked")).isEqualTo("0");
        assertThat(text("count-itl-differs")).isEqualTo("0");
        assertThat(chromium.driver.findElement(By.cssSelector("#cluster-info td")).getText())
                .isEqualTo(lab.clusterItlMd5().orElseThrow().toUpperCase());
        // Sorted and filtered by query parameters, which the filter form sets.
        chromium.driver.get(web.url() + "?sort=phone&dir=desc");
        assertThat(rows()).extracting(r -> r.get("mac"))
                .containsExactlyElementsOf(lab.phones().stream().map(Phone::mac).sorted(java.util.Comparator.reverseOrder()).toList());
        new org.openqa.selenium.support.ui.Select(chromium.driver.findElement(By.name("state"))).selectByValue("locked");
        chromium.driver.findElement(By.cssSelector("form.filters button")).click();
        assertThat(chromium.driver.getCurrentUrl()).contains("state=locked");
        assertThat(text("row-count")).isEqualTo("0 of 3");
        chromium.driver.get(web.url() + "?itl=differs");
        assertThat(text("row-count")).isEqualTo("0 of 3");
        chromium.driver.get(web.url());
        // Each row links to the phone's page.
        new WebDriverWait(chromium.driver, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#phones tbody tr a")).click();
            return true;
        });
        assertThat(chromium.driver.getCurrentUrl()).endsWith("/phones/SEP001122334455/");
        assertThat(chromium.driver.findElement(By.id("verdict")).getText()).isEqualTo("trusted");
    }

    @Test
    @Order(2)
    void aPhonesPageShowsTheTrustListThatPhoneTrustListPrints() throws Exception {
        Phone phone = lab.phone("001122334455").orElseThrow();
        Cli.Result cli = Cli.run("phone", "trust-list", "--state", tmp.resolve("phones").resolve(phone.name()).toString());
        assertThat(cli.code()).isZero();
        List<String> printed = cli.out().lines().toList();
        int itlAt = indexOfPrefix(printed, "ITL File: ");
        String md5 = printed.get(itlAt).substring("ITL File: ".length());
        List<String> records = printed.subList(itlAt + 2, printed.size()).stream().filter(l -> l.matches("  \\d+\\. .*")).toList();
        assertThat(records).hasSizeGreaterThan(1);

        chromium.driver.get(web.url() + "phones/" + phone.name() + "/");
        WebElement itl = chromium.driver.findElement(By.id("itl"));
        assertThat(itl.findElement(By.cssSelector("h3 .md5")).getText()).isEqualTo(md5);
        assertThat(chromium.driver.findElement(By.cssSelector("#network-setup")).getText()).contains("ITL File " + md5);
        List<String> shown = new ArrayList<>();
        for (WebElement tr : itl.findElements(By.cssSelector("tbody tr"))) {
            String serial = cell(tr, "serial");
            shown.add("  " + cell(tr, "index") + ". " + cell(tr, "role") + ": " + cell(tr, "subject")
                    + (serial.isEmpty() ? "" : ", serial " + serial) + ("(hash only)".equals(cell(tr, "md5")) ? " (hash only)" : ""));
        }
        assertThat(shown).containsExactlyElementsOf(records);
        assertThat(chromium.driver.findElement(By.id("console-log")).getText()).contains("SECD:").contains("Requesting ITL");
        chromium.screenshot(SHOTS.resolve("phone.png"));
    }

    @Test
    @Order(3)
    void theAdminPanelLocksThePhonesAndRecoversThemWithoutAReload() throws Exception {
        chromium.driver.get(web.url());
        chromium.driver.executeScript("window.__sameDocument = 'yes';");
        // The phones miss CUCM's resets between the two regenerations, as in the story where they end locked.
        control("ignore-resets");
        admin("set cert regen CallManager", "Successfully Regenerated Certificate for CallManager.");
        control("clock");
        admin("set cert regen TVS", "Successfully Regenerated Certificate for TVS.");
        admin("utils service restart Cisco Tftp", "");
        admin("utils service restart Cisco Trust Verification Service", "");
        control("reboot");
        waitForText("count-locked", "3");
        assertThat(text("count-trusted")).isEqualTo("0");
        waitForText("count-itl-differs", "3");
        assertThat(chromium.driver.executeScript("return window.__sameDocument;")).isEqualTo("yes");
        assertThat(rows()).allSatisfy(r -> {
            assertThat(r.get("verdict")).isEqualTo("locked");
            // The lock's cause beside the last message, timed as the phone shows it.
            assertThat(r.get("status")).matches("\\d\\d:\\d\\d:\\d\\d Trust List Update Failed · File Auth Fail.*");
            assertThat(r.get("cause")).endsWith("Trust List Update Failed");
        });
        chromium.screenshot(SHOTS.resolve("dashboard-locked.png"));
        chromium.driver.get(web.url() + "?state=locked&itl=differs");
        assertThat(text("row-count")).isEqualTo("3 of 3");
        chromium.driver.get(web.url());
        chromium.driver.executeScript("window.__sameDocument = 'yes';");

        admin("utils itl reset localkey", "The reset ITL file was generated successfully");
        control("reboot");
        waitForText("count-trusted", "3");
        assertThat(text("count-locked")).isEqualTo("0");
        assertThat(lab.phones()).allSatisfy(p -> assertThat(p.lastBoot().orElseThrow().itlSigner().orElseThrow()).contains("ITLRECOVERY"));
        assertThat(chromium.driver.executeScript("return window.__sameDocument;")).isEqualTo("yes");
        assertThat(chromium.driver.findElement(By.id("live-indicator")).getText()).startsWith("live");
        Path shot = chromium.screenshot(SHOTS.resolve("dashboard.png"));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    @Test
    @Order(4)
    void withATokenTheBrowserGets401ThenTheDashboardWithIt() throws Exception {
        String token = "browser-token-123";
        try (WebServer guarded = WebServer.builder().options(WebOptions.loopback(0).withToken(token)).fleet(lab).group(group).start()) {
            chromium.driver.get(guarded.url());
            assertThat(chromium.driver.findElement(By.tagName("body")).getText()).contains("needs its token");
            assertThat(chromium.driver.findElements(By.id("phones"))).isEmpty();

            chromium.driver.get(guarded.url() + "?token=" + token);
            assertThat(rows()).hasSize(3);
            // The live updates and the links work through the cookie the token left.
            new WebDriverWait(chromium.driver, WAIT).ignoring(StaleElementReferenceException.class)
                    .until(ExpectedConditions.textMatches(By.id("live-indicator"), java.util.regex.Pattern.compile("live, updated.*")));
            chromium.driver.findElement(By.cssSelector("#phones tbody tr a")).click();
            assertThat(chromium.driver.findElement(By.cssSelector("h1")).getText()).startsWith("SEP");
        }
    }

    /** An element's text; found again if the page's live update replaced it meanwhile. */
    private static String text(String id) {
        return new WebDriverWait(chromium.driver, WAIT).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id(id)).getText());
    }

    /**
     * The table's rows read in one script, so one snapshot: the page swaps the table in every second, and elements
     * found before a swap are stale after it.
     */
    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> rows() {
        return (List<Map<String, String>>) chromium.driver.executeScript(
                "return Array.from(document.querySelectorAll('#phones tbody tr')).map(function (r) {"
                        + " function t(css) { var e = r.querySelector(css); return e ? e.textContent.trim() : null; }"
                        + " return {mac: r.getAttribute('data-mac'), verdict: r.getAttribute('data-verdict'), trust: t('td.trust'),"
                        + " status: t('td.status'), cause: t('td.status .cause')}; });");
    }

    private static String cell(WebElement tr, String css) {
        return tr.findElement(By.cssSelector("td." + css)).getText();
    }

    private static void waitForText(String id, String value) {
        new WebDriverWait(chromium.driver, WAIT).ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.textToBe(By.id(id), value));
    }

    /** Types a command at the panel's admin: prompt, runs it, waits for CUCM's answer. */
    private static void admin(String command, String expected) {
        int before = chromium.driver.findElements(By.cssSelector("#admin-output .echo")).size();
        WebElement input = chromium.driver.findElement(By.id("admin-command"));
        input.clear();
        input.sendKeys(command);
        chromium.driver.findElement(By.id("admin-run")).click();
        waitForResult(before);
        String out = chromium.driver.findElement(By.id("admin-output")).getText();
        assertThat(out).contains("admin:" + command).contains(expected);
    }

    private static void control(String id) {
        int before = chromium.driver.findElements(By.cssSelector("#admin-output .echo")).size();
        chromium.driver.findElement(By.id("control-" + id)).click();
        waitForResult(before);
    }

    private static void waitForResult(int echoesBefore) {
        new WebDriverWait(chromium.driver, WAIT).until(d -> d.findElements(By.cssSelector("#admin-output .echo")).size() > echoesBefore
                && d.findElement(By.id("admin-run")).isEnabled());
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }
}
