package org.phoneemu.web;

import static org.phoneemu.web.Html.escape;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.core.config.CallManagerEntry;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.trust.SecurityDaemon;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.core.tvs.TvsCache;
import org.phoneemu.phone.Phone;

/**
 * A phone's own web page, laid out as a real phone's: Device Information, Network Setup, Status Messages, Device
 * Logs (the console) and Security (the Trust List with its CTL and ITL records, and the TVS cache). Plain HTML: it
 * reads the same without JavaScript.
 */
final class PhonePage {
    /** The console section shows at most this many of the latest lines. */
    static final int CONSOLE_LINES = 2000;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    PhonePage(ZoneId zone) {
        this.zone = zone;
    }

    String render(Phone phone, Optional<String> clusterItlMd5, BootStats stats, boolean dashboardLink) {
        // One read of the config for the whole page: a boot may replace it meanwhile.
        Optional<PhoneConfig> config = phone.config();
        StringBuilder b = new StringBuilder(16 * 1024);
        navigation(b, dashboardLink);
        PhoneSummary s = PhoneSummary.of(phone, clusterItlMd5, stats);
        heading(b, phone, s);
        deviceInformation(b, phone, config);
        networkSetup(b, phone, config, clusterItlMd5, s);
        statusMessages(b, phone);
        deviceLogs(b, phone);
        security(b, phone);
        b.append("</main></div>");

        String crumbs = " <span class=\"crumb\">/</span> <span class=\"crumb\">" + escape(phone.name()) + "</span>";
        return Layout.page(phone.name() + " - phone-emu", crumbs, b.toString(), null);
    }

    /** The side menu, and the start of the page's main part. */
    private static void navigation(StringBuilder b, boolean dashboardLink) {
        b.append("<div class=\"phone-layout\"><nav class=\"side\"><ul>")
                .append("<li><a href=\"#device\">Device Information</a></li>")
                .append("<li><a href=\"#network\">Network Setup</a></li>")
                .append("<li><a href=\"#status\">Status Messages</a></li>")
                .append("<li><a href=\"#console\">Device Logs</a></li>")
                .append("<li><a href=\"#security\">Security</a></li>");
        if (dashboardLink) {
            b.append("<li class=\"back\"><a href=\"/\">&larr; Dashboard</a></li>");
        }
        b.append("</ul></nav><main class=\"phone\">");
    }

    /** The phone's name and model, and its verdict in one line. */
    private static void heading(StringBuilder b, Phone phone, PhoneSummary s) {
        b.append("<h1>").append(escape(phone.name())).append(" <span class=\"sub\">Cisco IP Phone CP-")
                .append(escape(phone.model())).append("</span></h1>");
        b.append("<p class=\"verdict-line\"><span class=\"badge v-").append(cssWord(s.verdict())).append("\" id=\"verdict\">")
                .append(escape(s.verdict())).append("</span> <span id=\"trust-state\">").append(escape(s.trustState().description()))
                .append("</span>").append(s.lastStatus().map(m -> " &middot; <span id=\"last-status\">" + escape(m) + "</span>").orElse(""))
                .append(s.booting() ? " &middot; <span class=\"tag booting\">booting</span>" : "")
                .append("</p>");
    }

    private static void deviceInformation(StringBuilder b, Phone phone, Optional<PhoneConfig> config) {
        SecurityDaemon secd = phone.securityDaemon();
        section(b, "device", "Device Information");
        Optional<PhoneIdentity> id = secd.store().identity();
        Layout.keyValues(b, "device-info", new String[][] {
                {"MAC Address", phone.mac()},
                {"Host Name", phone.name()},
                {"Model Number", "CP-" + phone.model()},
                {"Device Name (TVS)", phone.deviceName()},
                {"Load", config.flatMap(PhoneConfig::loadInformation).orElse("-")},
                {"Serial Number (MIC)", id.map(i -> Certificates.serialDisplay(Certificates.serialBytes(i.mic().certificate().getSerialNumber()))).orElse("-")},
                {"LSC", id.flatMap(PhoneIdentity::lsc).map(l -> "installed, " + l.certificate().getSubjectX500Principal().getName()).orElse("not installed")},
                {"Security Mode", config.flatMap(PhoneConfig::deviceSecurityMode).map(PhonePage::securityMode).orElse("-")},
                {"Flash", secd.store() instanceof TrustStore t ? t.directory().toString() : "-"},
        });
    }

    private static void networkSetup(StringBuilder b, Phone phone, Optional<PhoneConfig> config, Optional<String> clusterItlMd5,
                                     PhoneSummary s) {
        SecurityDaemon secd = phone.securityDaemon();
        section(b, "network", "Network Setup");
        List<String[]> net = new ArrayList<>();
        List<InetSocketAddress> tftp = phone.tftpServers();
        for (int i = 0; i < tftp.size(); i++) {
            net.add(new String[] {"TFTP Server " + (i + 1), show(tftp.get(i))});
        }
        if (tftp.isEmpty()) {
            net.add(new String[] {"TFTP Server 1", "-"});
        }
        // What each file of the last boot came over: HTTPS 6971, HTTP 6970 or TFTP (docs/PROTOCOLS.md §4).
        net.add(new String[] {"Files Received Over", phone.lastBoot().map(r -> r.files().stream()
                .map(f -> f.name() + ": " + f.transport()).collect(java.util.stream.Collectors.joining(", ")))
                .filter(t -> !t.isEmpty()).orElse("-")});
        List<TvsServerEntry> tvs = config.map(PhoneConfig::tvsServers).orElse(List.of());
        for (int i = 0; i < tvs.size(); i++) {
            net.add(new String[] {"TVS Server " + (i + 1), tvs.get(i).address() + ":" + tvs.get(i).port()});
        }
        if (tvs.isEmpty()) {
            net.add(new String[] {"TVS Server", "-"});
        }
        for (CallManagerEntry c : config.map(PhoneConfig::callManagers).orElse(List.of())) {
            net.add(new String[] {"CallManager " + (c.priority() + 1), c.processNodeName()});
        }
        net.add(new String[] {"Registration", phone.registration().map(org.phoneemu.phone.RegistrationStep::text).orElse("-")});
        net.add(new String[] {"CTL File", secd.trust().ctl().map(l -> l.file().md5Hex().toUpperCase(Locale.ROOT)).orElse("Not Installed")});
        net.add(new String[] {"ITL File", secd.trust().itl().map(l -> l.file().md5Hex().toUpperCase(Locale.ROOT)).orElse("Not Installed")});
        net.add(new String[] {"Cluster's ITL", clusterItlMd5.map(m -> m.toUpperCase(Locale.ROOT) + (s.itlDiffers() ? " (differs)" : " (same)")).orElse("-")});
        net.add(new String[] {"Settings Access", config.map(c -> c.vendorConfig().settingsAccessAllowed() ? "Enabled" : "Disabled").orElse("-")});
        net.add(new String[] {"Web Access", config.map(c -> c.vendorConfig().webPageEnabled() ? "Enabled" : "Disabled").orElse("-")});
        Layout.keyValues(b, "network-setup", net.toArray(String[][]::new));
        config.ifPresent(c -> {
            if (!c.urls().isEmpty()) {
                b.append("<h3>Service URLs</h3>");
                Layout.keyValues(b, "urls", c.urls().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .map(e -> new String[] {e.getKey(), e.getValue()}).toArray(String[][]::new));
            }
        });
    }

    private void statusMessages(StringBuilder b, Phone phone) {
        section(b, "status", "Status Messages");
        List<StatusMessages.Message> messages = phone.statusMessages().all();
        if (messages.isEmpty()) {
            b.append("<p class=\"empty\">No status messages.</p>");
        } else {
            b.append("<div class=\"scroll\"><table class=\"grid\" id=\"status-messages\"><thead><tr><th>Time</th><th>Message</th></tr></thead><tbody>");
            for (StatusMessages.Message m : messages) {
                b.append("<tr><td class=\"mono\">").append(escape(m.timeOfDay(zone))).append("</td><td>")
                        .append(escape(m.text())).append("</td></tr>");
            }
            b.append("</tbody></table></div>");
        }
    }

    /** The latest console lines, as the phone prints them. */
    private void deviceLogs(StringBuilder b, Phone phone) {
        section(b, "console", "Device Logs");
        List<ConsoleLine> lines = phone.consoleLog().lines();
        int from = Math.max(0, lines.size() - CONSOLE_LINES);
        if (from > 0) {
            b.append("<p class=\"note\">The latest ").append(CONSOLE_LINES).append(" of ").append(lines.size()).append(" lines.</p>");
        }
        b.append("<pre class=\"console\" id=\"console-log\">");
        for (int i = from; i < lines.size(); i++) {
            ConsoleLine l = lines.get(i);
            b.append("<span class=\"sev-").append(l.severity().name().toLowerCase(Locale.ROOT)).append("\">")
                    .append(escape(l.format(zone))).append("</span>\n");
        }
        if (lines.isEmpty()) {
            b.append("(empty)");
        }
        b.append("</pre>");
    }

    /** The trust state, the last boot, the installed lists and the TVS cache. */
    private void security(StringBuilder b, Phone phone) {
        SecurityDaemon secd = phone.securityDaemon();
        section(b, "security", "Security");
        b.append("<p>Trust state: <strong>").append(escape(secd.state().description())).append("</strong>")
                .append(phone.lastBoot().map(r -> " &middot; last boot: " + escape(r.verdict())
                        + r.error().map(e -> " (" + escape(e) + ")").orElse("")).orElse(""))
                .append("</p>");
        trustList(b, "ctl", "CTL File", secd.trust().ctl());
        trustList(b, "itl", "ITL File", secd.trust().itl());
        tvsCache(b, secd.tvsCache());
    }

    private static void section(StringBuilder b, String id, String title) {
        b.append("<h2 id=\"").append(id).append("\">").append(escape(title)).append("</h2>");
    }

    /** The Trust List menu as {@code phone trust-list} prints it: MD5, signer, one row per record. */
    private static void trustList(StringBuilder b, String id, String title, Optional<TrustList> list) {
        b.append("<section class=\"trust-list\" id=\"").append(id).append("\">");
        if (list.isEmpty()) {
            b.append("<h3>").append(escape(title)).append(": <span class=\"md5\">Not Installed</span></h3></section>");
            return;
        }
        TrustList l = list.get();
        b.append("<h3>").append(escape(title)).append(": <span class=\"md5\">").append(escape(l.file().md5Hex().toUpperCase(Locale.ROOT)))
                .append("</span>").append(l.isBlank() ? " <span class=\"badge v-locked\">rollback: blank records</span>" : "").append("</h3>");
        b.append("<p class=\"signer\">Signer: <span class=\"signer-name\">").append(escape(l.file().signer().name()))
                .append("</span>, serial <span class=\"mono\">").append(escape(Certificates.serialDisplay(l.file().signer().serial().toArray())))
                .append("</span></p>");
        b.append("<div class=\"scroll\"><table class=\"grid records\"><thead><tr><th>#</th><th>Role</th><th>Subject</th><th>Issuer</th><th>Serial</th><th>MD5</th></tr></thead><tbody>");
        for (TrustRecord r : l.records()) {
            b.append("<tr><td class=\"index\">").append(r.index())
                    .append("</td><td class=\"role\">").append(escape(r.roleName()))
                    .append("</td><td class=\"subject\">").append(escape(r.subjectName().isEmpty() ? "(blank)" : r.subjectName()))
                    .append("</td><td class=\"issuer\">").append(escape(r.issuerName()))
                    .append("</td><td class=\"serial mono\">").append(escape(r.serial().isEmpty() ? "" : Certificates.serialDisplay(r.serial().toArray())))
                    .append("</td><td class=\"md5 mono\">").append(escape(recordMd5(r)))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></div></section>");
    }

    private static String recordMd5(TrustRecord r) {
        if (r.certificateDer().isPresent()) {
            return java.util.HexFormat.of().withUpperCase().formatHex(Certificates.hash("MD5", r.certificateDer().get().toArray()));
        }
        return r.certHash().isPresent() ? "(hash only)" : "-";
    }

    private void tvsCache(StringBuilder b, TvsCache cache) {
        b.append("<h3>TVS Cache</h3>");
        List<TvsCache.Entry> entries = cache.entries();
        if (entries.isEmpty()) {
            b.append("<p class=\"empty\" id=\"tvs-cache\">Empty (a reboot empties it).</p>");
            return;
        }
        Instant now = cache.clock().instant();
        b.append("<div class=\"scroll\"><table class=\"grid\" id=\"tvs-cache\"><thead><tr><th>Certificate SHA-256</th><th>Expires</th><th>TTL left</th></tr></thead><tbody>");
        for (TvsCache.Entry e : entries) {
            b.append("<tr><td class=\"mono\">").append(escape(e.certificateHash())).append("</td><td class=\"mono\">")
                    .append(escape(WHEN.format(e.expires().atZone(zone)))).append("</td><td>")
                    .append(Math.max(0, Duration.between(now, e.expires()).toSeconds())).append(" s</td></tr>");
        }
        b.append("</tbody></table></div>");
    }

    static String cssWord(String verdict) {
        return verdict.toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "-");
    }

    private static String show(InetSocketAddress a) {
        return (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort();
    }

    private static String securityMode(int mode) {
        return switch (mode) {
            case 1 -> "Non-Secure";
            case 2 -> "Authenticated";
            case 3 -> "Encrypted";
            default -> String.valueOf(mode);
        };
    }
}
