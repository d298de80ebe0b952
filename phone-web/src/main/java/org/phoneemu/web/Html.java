package org.phoneemu.web;

/**
 * HTML text and attribute escaping: the one place every value from a certificate, a config, a status message or
 * a file name passes through on its way into a page (a cluster can put {@code <script>} in a CN).
 */
public final class Html {
    private Html() {
    }

    /** Escapes {@code & < > " '} so the value reads as text in element content and in quoted attributes. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep == null && (c < 0x20 && c != '\n' && c != '\t' && c != '\r')) {
                rep = "\uFFFD"; // control characters have no place in a page
            }
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
