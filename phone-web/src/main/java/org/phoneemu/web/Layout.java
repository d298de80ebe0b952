package org.phoneemu.web;

import static org.phoneemu.web.Html.escape;

/** The frame every page shares: head with the jar's style sheet, a top bar, the body. No inline script or style. */
final class Layout {
    private Layout() {
    }

    /**
     * @param title page title (escaped here)
     * @param crumbs already-escaped HTML after the product name in the top bar
     * @param body already-escaped HTML
     * @param script name of a script under /static/ or null
     */
    static String page(String title, String crumbs, String body, String script) {
        StringBuilder b = new StringBuilder(body.length() + 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(title)).append("</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/style.css\">")
                .append("<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">");
        if (script != null) {
            b.append("<script src=\"/static/").append(script).append("\" defer></script>");
        }
        b.append("</head><body>")
                .append("<header class=\"topbar\"><a class=\"brand\" href=\"/\">phone-emu</a>").append(crumbs).append("</header>\n")
                .append(body)
                .append("\n</body></html>\n");
        return b.toString();
    }

    /** A two-column table of label/value rows; values are escaped here. */
    static void keyValues(StringBuilder b, String id, String[][] rows) {
        b.append("<table class=\"kv\"").append(id == null ? "" : " id=\"" + id + "\"").append("><tbody>");
        for (String[] r : rows) {
            b.append("<tr><th scope=\"row\">").append(escape(r[0])).append("</th><td>").append(escape(r[1])).append("</td></tr>");
        }
        b.append("</tbody></table>");
    }
}
