package org.phoneemu.web;

import static org.phoneemu.web.Html.escape;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.phone.Phone;

/**
 * The fleet dashboard: counters by verdict and trust state, boots per second, the boot latency chart and the table
 * of phones (sorted and filtered by query parameters, so it works without JavaScript). The part under
 * {@code #live} is also served alone ({@code /fragment/live}) for the page's script to swap in every second.
 */
final class DashboardPage {
    /** Verdicts in the order the counters show them. */
    static final List<String> VERDICTS = List.of("trusted", "locked", "config refused", "error", PhoneSummary.SERVER_REFUSED,
            PhoneSummary.NOT_BOOTED);
    /** The table shows at most this many rows; the filter narrows a large fleet. */
    static final int MAX_ROWS = 500;
    /** Latency chart buckets, upper bounds in ms (the last one is open). */
    private static final long[] BUCKETS = {10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

    /** The table's filter and order, from the query string. */
    record View(Optional<String> state, boolean itlDiffers, String search, PhoneSummary.Column sort, boolean descending) {
        static View parse(Map<String, List<String>> q) {
            Optional<String> state = first(q, "state").filter(s -> VERDICTS.contains(s) || trustState(s).isPresent());
            boolean differs = first(q, "itl").map("differs"::equals).orElse(false);
            String search = first(q, "q").map(s -> s.length() > 64 ? s.substring(0, 64) : s).orElse("");
            PhoneSummary.Column sort = first(q, "sort").flatMap(PhoneSummary.Column::parse).orElse(PhoneSummary.Column.PHONE);
            boolean desc = first(q, "dir").map("desc"::equals).orElse(false);
            return new View(state, differs, search, sort, desc);
        }

        boolean accepts(PhoneSummary s) {
            if (state.isPresent() && !state.get().equals(s.verdict()) && !trustState(state.get()).equals(Optional.of(s.trustState()))) {
                return false;
            }
            if (itlDiffers && !s.itlDiffers()) {
                return false;
            }
            return search.isEmpty() || s.name().toUpperCase(Locale.ROOT).contains(search.toUpperCase(Locale.ROOT));
        }

        /** The query string of this view with another sort, for the column headers. */
        String withSort(PhoneSummary.Column c) {
            boolean desc = c == sort && !descending;
            return query(state, itlDiffers, search, c, desc);
        }

        String query() {
            return query(state, itlDiffers, search, sort, descending);
        }

        private static String query(Optional<String> state, boolean differs, String search, PhoneSummary.Column sort, boolean desc) {
            List<String> parts = new ArrayList<>();
            state.ifPresent(s -> parts.add("state=" + enc(s)));
            if (differs) {
                parts.add("itl=differs");
            }
            if (!search.isEmpty()) {
                parts.add("q=" + enc(search));
            }
            parts.add("sort=" + sort.param());
            if (desc) {
                parts.add("dir=desc");
            }
            return "?" + String.join("&", parts);
        }
    }

    private final FleetView fleet;
    private final Optional<AdminConsole> admin;
    /** Written into each admin form; {@link CrossSiteCheck} refuses a POST without it. */
    private final String formToken;

    /** The time zone a lock's status message is shown in. */
    private final ZoneId zone;

    DashboardPage(FleetView fleet, Optional<AdminConsole> admin, String formToken, ZoneId zone) {
        this.fleet = fleet;
        this.zone = zone;
        this.admin = admin;
        this.formToken = formToken;
    }

    String render(View view) {
        StringBuilder b = new StringBuilder(32 * 1024);
        b.append("<main class=\"dashboard\">");
        b.append("<div class=\"title-row\"><h1>").append(escape(fleet.title())).append("</h1>")
                .append("<span class=\"live-indicator\" id=\"live-indicator\">static view</span></div>");
        b.append("<noscript><p class=\"note\">JavaScript is off: reload the page to see new numbers.</p></noscript>");
        filterForm(b, view);
        b.append("<div id=\"live\" data-query=\"").append(escape(view.query())).append("\">");
        live(b, view);
        b.append("</div>");
        admin.ifPresent(a -> adminPanel(b, a, formToken));
        b.append("</main>");
        return Layout.page(fleet.title() + " - phone-emu dashboard", " <span class=\"crumb\">/</span> <span class=\"crumb\">dashboard</span>",
                b.toString(), "dashboard.js");
    }

    /** The part that updates: counters, chart, table. */
    String live(View view) {
        StringBuilder b = new StringBuilder(32 * 1024);
        live(b, view);
        return b.toString();
    }

    private void live(StringBuilder b, View view) {
        Optional<String> clusterMd5 = fleet.clusterItlMd5();
        List<PhoneSummary> all = summaries(fleet, clusterMd5);
        BootStats.Snapshot stats = fleet.bootStats().snapshot();
        Counts counts = Counts.of(all);
        verdictCards(b, all.size(), counts);
        trustCards(b, counts, stats);
        panels(b, stats, clusterMd5, all.size() - counts.differs());
        phoneTable(b, view, all);
    }

    /** The counters of the cards: phones by verdict and by trust state, and how many differ, boot or wait on TVS. */
    private record Counts(Map<String, Integer> byVerdict, Map<TrustState, Integer> byTrust, int differs, int booting, int onTvs) {
        static Counts of(List<PhoneSummary> all) {
            Map<String, Integer> byVerdict = new LinkedHashMap<>();
            VERDICTS.forEach(v -> byVerdict.put(v, 0));
            Map<TrustState, Integer> byTrust = new LinkedHashMap<>();
            for (TrustState t : TrustState.values()) {
                byTrust.put(t, 0);
            }
            int differs = 0;
            int booting = 0;
            int onTvs = 0;
            for (PhoneSummary s : all) {
                booting += s.booting() ? 1 : 0;
                onTvs += s.waitingOnTvs() ? 1 : 0;
                byVerdict.merge(s.verdict(), 1, Integer::sum);
                byTrust.merge(s.trustState(), 1, Integer::sum);
                differs += s.itlDiffers() ? 1 : 0;
            }
            return new Counts(byVerdict, byTrust, differs, booting, onTvs);
        }
    }

    private static void verdictCards(StringBuilder b, int phones, Counts counts) {
        b.append("<section class=\"cards\">");
        card(b, "count-phones", "phones", String.valueOf(phones), "total");
        for (Map.Entry<String, Integer> e : counts.byVerdict().entrySet()) {
            card(b, "count-" + PhonePage.cssWord(e.getKey()), e.getKey(), String.valueOf(e.getValue()), "v-" + PhonePage.cssWord(e.getKey()));
        }
        card(b, "count-itl-differs", "ITL differs", String.valueOf(counts.differs()), counts.differs() > 0 ? "warn" : "total");
        b.append("</section>");
    }

    private static void trustCards(StringBuilder b, Counts counts, BootStats.Snapshot stats) {
        b.append("<section class=\"cards small\">");
        for (Map.Entry<TrustState, Integer> e : counts.byTrust().entrySet()) {
            card(b, "count-trust-" + PhonePage.cssWord(e.getKey().name()), e.getKey().description(), String.valueOf(e.getValue()), "total");
        }
        card(b, "count-boots", "boots", String.valueOf(stats.finished()), "total");
        card(b, "count-booting", "booting now", String.valueOf(counts.booting()), "total");
        card(b, "count-waiting-tvs", "waiting on TVS", String.valueOf(counts.onTvs()), counts.onTvs() > 0 ? "warn" : "total");
        card(b, "boots-per-second", "boots/s (10 s)", String.format(Locale.ROOT, "%.1f", stats.bootsPerSecond()), "total");
        b.append("</section>");
    }

    /** The latency chart and the cluster's panel. */
    private static void panels(StringBuilder b, BootStats.Snapshot stats, Optional<String> clusterMd5, int holdingIt) {
        b.append("<section class=\"panels\"><div class=\"panel chart\"><h2>Boot latency</h2>");
        latencyChart(b, stats);
        b.append("</div><div class=\"panel cluster\"><h2>Cluster</h2>");
        Layout.keyValues(b, "cluster-info", new String[][] {
                {"ITL served now (MD5)", clusterMd5.map(m -> m.toUpperCase(Locale.ROOT)).orElse("unknown")},
                {"Phones holding it", clusterMd5.isPresent() ? String.valueOf(holdingIt) : "-"},
                {"Latency p50 / p90 / p99", stats.finished() == 0 ? "-"
                        : stats.percentile(50) + " / " + stats.percentile(90) + " / " + stats.percentile(99) + " ms"},
                {"Slowest boot", stats.finished() == 0 ? "-" : stats.latencyMillis().getMaxValue() + " ms"},
        });
        b.append("</div></section>");
    }

    /** The phones the view accepts, in its order, at most {@link #MAX_ROWS}. */
    private void phoneTable(StringBuilder b, View view, List<PhoneSummary> all) {
        List<PhoneSummary> rows = all.stream().filter(view::accepts)
                .sorted(view.descending() ? view.sort().order().reversed() : view.sort().order()).toList();
        b.append("<section class=\"panel table-panel\"><h2>Phones <span class=\"sub\" id=\"row-count\">")
                .append(rows.size()).append(" of ").append(all.size()).append("</span></h2>");
        b.append("<table class=\"grid phones\" id=\"phones\"><thead><tr>");
        header(b, view, PhoneSummary.Column.PHONE, "Phone");
        header(b, view, PhoneSummary.Column.MODEL, "Model");
        header(b, view, PhoneSummary.Column.VERDICT, "Verdict");
        header(b, view, PhoneSummary.Column.TRUST, "Trust state");
        header(b, view, PhoneSummary.Column.ITL, "ITL MD5");
        header(b, view, PhoneSummary.Column.STATUS, "Last status message");
        b.append("</tr></thead><tbody>");
        for (PhoneSummary s : rows.subList(0, Math.min(rows.size(), MAX_ROWS))) {
            phoneRow(b, s);
        }
        if (rows.isEmpty()) {
            b.append("<tr><td colspan=\"6\" class=\"empty\">No phone matches the filter.</td></tr>");
        }
        b.append("</tbody></table>");
        if (rows.size() > MAX_ROWS) {
            b.append("<p class=\"note\">Showing the first ").append(MAX_ROWS).append(" of ").append(rows.size())
                    .append(" phones; filter to narrow.</p>");
        }
        b.append("</section>");
    }

    private void phoneRow(StringBuilder b, PhoneSummary s) {
        b.append("<tr data-mac=\"").append(escape(s.mac())).append("\" data-verdict=\"").append(escape(s.verdict())).append("\">")
                .append("<td><a href=\"/phones/").append(escape(s.name())).append("/\">").append(escape(s.name())).append("</a></td>")
                .append("<td>CP-").append(escape(s.model())).append("</td>")
                .append("<td><span class=\"badge v-").append(PhonePage.cssWord(s.verdict())).append("\">").append(escape(s.verdict())).append("</span>")
                .append(s.booting() ? " <span class=\"tag booting\">booting</span>" : "")
                .append(s.waitingOnTvs() ? " <span class=\"tag tvs\">waiting on TVS</span>" : "")
                .append(s.registrationTag().map(t -> " <span class=\"tag sip\" title=\"" + escape(s.registration().orElseThrow().text()) + "\">"
                        + escape(t) + "</span>").orElse("")).append("</td>")
                .append("<td class=\"trust\">").append(escape(s.trustState().description())).append("</td>")
                .append("<td class=\"mono").append(s.itlDiffers() ? " differs" : "").append("\">")
                .append(escape(s.itlMd5().map(m -> m.toUpperCase(Locale.ROOT)).orElse("-")))
                .append(s.itlDiffers() ? " <span class=\"tag\">differs</span>" : "").append("</td>")
                .append("<td class=\"status\">").append(statusCell(s)).append("</td></tr>");
    }

    /**
     * The last status message; for a locked phone whose last message is another one (a config refused after the
     * failed trust list), the lock's cause first, with its time as the phone shows it.
     */
    private String statusCell(PhoneSummary s) {
        String last = escape(s.lastStatus().orElse("-"));
        return s.lockCause().filter(c -> !s.lastStatus().equals(Optional.of(c.text())))
                .map(c -> "<span class=\"cause\" title=\"why the phone is locked\">" + escape(c.display(zone)) + "</span> &middot; " + last)
                .orElse(last);
    }

    /** Each phone's row as of its last finished step ({@link Phone#view}): no waiting for phones that are booting. */
    static List<PhoneSummary> summaries(FleetView fleet, Optional<String> clusterMd5) {
        return fleet.phones().stream().map((Phone p) -> p.view(x -> PhoneSummary.of(x, clusterMd5, fleet.bootStats()))).toList();
    }

    private static void card(StringBuilder b, String id, String label, String value, String css) {
        b.append("<div class=\"card ").append(css).append("\"><div class=\"value\" id=\"").append(id).append("\">").append(escape(value))
                .append("</div><div class=\"label\">").append(escape(label)).append("</div></div>");
    }

    private static void header(StringBuilder b, View view, PhoneSummary.Column c, String title) {
        String arrow = view.sort() == c ? (view.descending() ? " &#9660;" : " &#9650;") : "";
        b.append("<th><a href=\"").append(escape(view.withSort(c))).append("\">").append(escape(title)).append(arrow).append("</a></th>");
    }

    private static void filterForm(StringBuilder b, View view) {
        b.append("<form class=\"filters\" method=\"get\" action=\"/\"><label>State <select name=\"state\"><option value=\"\">any</option>");
        for (String v : VERDICTS) {
            option(b, v, v, view.state().equals(Optional.of(v)));
        }
        for (TrustState t : TrustState.values()) {
            option(b, t.name(), t.description(), view.state().equals(Optional.of(t.name())));
        }
        b.append("</select></label> <label><input type=\"checkbox\" name=\"itl\" value=\"differs\"")
                .append(view.itlDiffers() ? " checked" : "").append("> ITL differs from the cluster's</label>")
                .append(" <label>Phone <input type=\"search\" name=\"q\" value=\"").append(escape(view.search()))
                .append("\" placeholder=\"SEP…\" size=\"16\"></label>")
                .append("<input type=\"hidden\" name=\"sort\" value=\"").append(view.sort().param()).append("\">")
                .append(view.descending() ? "<input type=\"hidden\" name=\"dir\" value=\"desc\">" : "")
                .append(" <button type=\"submit\">Filter</button> <a class=\"reset\" href=\"/\">clear</a></form>");
    }

    private static void option(StringBuilder b, String value, String label, boolean selected) {
        b.append("<option value=\"").append(escape(value)).append("\"").append(selected ? " selected" : "").append(">")
                .append(escape(label)).append("</option>");
    }

    /** An SVG bar chart of the boot latency histogram; drawn on the server so it needs no script or library. */
    private static void latencyChart(StringBuilder b, BootStats.Snapshot stats) {
        int w = 600;
        int h = 180;
        int left = 36;
        int bottom = 28;
        int n = BUCKETS.length + 1;
        long[] counts = new long[n];
        long lower = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            counts[i] = stats.countBetween(lower, BUCKETS[i]);
            lower = BUCKETS[i];
        }
        counts[n - 1] = stats.latencyMillis().getTotalCount() == 0 ? 0
                : stats.latencyMillis().getCountBetweenValues(lower + 1, stats.latencyMillis().getHighestTrackableValue());
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        double slot = (w - left - 8) / (double) n;
        b.append("<svg class=\"latency\" id=\"latency-chart\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" role=\"img\" aria-label=\"Boot latency histogram\">");
        b.append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(h - bottom).append("\" x2=\"").append(w - 4)
                .append("\" y2=\"").append(h - bottom).append("\"/>");
        b.append("<text class=\"ylabel\" x=\"4\" y=\"14\">boots</text>");
        for (int i = 0; i < n; i++) {
            double bh = (h - bottom - 22) * counts[i] / (double) max;
            double x = left + i * slot + 3;
            double y = h - bottom - bh;
            b.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%d boots</title></rect>",
                    x, y, slot - 6, bh, counts[i]));
            if (counts[i] > 0) {
                b.append(String.format(Locale.ROOT, "<text class=\"count\" x=\"%.1f\" y=\"%.1f\">%d</text>", x + (slot - 6) / 2, y - 4, counts[i]));
            }
            String label = i < BUCKETS.length ? ms(BUCKETS[i]) : ">" + ms(BUCKETS[BUCKETS.length - 1]);
            b.append(String.format(Locale.ROOT, "<text class=\"xlabel\" x=\"%.1f\" y=\"%d\">%s</text>", x + (slot - 6) / 2, h - bottom + 16, label));
        }
        b.append("</svg>");
        b.append("<p class=\"note\">Boots by duration, each bar up to the time below it.</p>");
        if (stats.finished() == 0) {
            b.append("<p class=\"note\">No boot has finished yet.</p>");
        }
    }

    private static String ms(long v) {
        return v >= 1000 ? (v / 1000) + " s" : v + " ms";
    }

    private static void adminPanel(StringBuilder b, AdminConsole console, String formToken) {
        String token = "<input type=\"hidden\" name=\"" + CrossSiteCheck.FIELD + "\" value=\"" + escape(formToken) + "\">";
        b.append("<section class=\"panel admin\" id=\"admin\"><h2>CUCM admin</h2>")
                .append("<p class=\"note\">Commands run on the simulated cluster's publisher, as at its <code>admin:</code> prompt.</p>");
        b.append("<form class=\"admin-form\" method=\"post\" action=\"/admin/run\"><span class=\"prompt\">admin:</span>").append(token)
                .append("<input type=\"text\" name=\"command\" id=\"admin-command\" autocomplete=\"off\" spellcheck=\"false\" size=\"48\" maxlength=\"512\">")
                .append(" <button type=\"submit\" id=\"admin-run\">Run</button></form>");
        if (!console.suggestedCommands().isEmpty()) {
            b.append("<div class=\"suggested\">");
            for (String c : console.suggestedCommands()) {
                b.append("<form method=\"post\" action=\"/admin/run\" class=\"admin-form inline\">").append(token)
                        .append("<input type=\"hidden\" name=\"command\" value=\"")
                        .append(escape(c)).append("\"><button type=\"submit\" class=\"secondary\">").append(escape(c)).append("</button></form>");
            }
            b.append("</div>");
        }
        if (!console.controls().isEmpty()) {
            b.append("<div class=\"controls\"><span class=\"controls-title\">Simulation:</span>");
            for (AdminConsole.Control c : console.controls()) {
                b.append("<form method=\"post\" action=\"/admin/control\" class=\"admin-form inline\">").append(token)
                        .append("<input type=\"hidden\" name=\"id\" value=\"")
                        .append(escape(c.id())).append("\"><button type=\"submit\" class=\"control\" id=\"control-").append(escape(c.id()))
                        .append("\" title=\"").append(escape(c.description())).append("\">").append(escape(c.label())).append("</button></form>");
            }
            b.append("</div>");
        }
        b.append("<pre class=\"console admin-output\" id=\"admin-output\" aria-live=\"polite\"></pre></section>");
    }

    /** What a command printed, as one block for the admin output (escaped). */
    static String adminOutput(String command, String output) {
        return "<span class=\"echo\">admin:" + escape(command) + "</span>\n" + escape(output.endsWith("\n") ? output : output + "\n");
    }

    private static Optional<String> first(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static Optional<TrustState> trustState(String s) {
        for (TrustState t : TrustState.values()) {
            if (t.name().equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

}
