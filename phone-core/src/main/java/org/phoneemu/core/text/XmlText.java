package org.phoneemu.core.text;

/**
 * XML text and attribute values: the one XML escaper of the project (config files, directory pages, JUnit reports),
 * and its inverse for the values the phone reads out of small XML answers (directory pages, DeviceTLInfo).
 * XML 1.0 allows no control characters but tab, line feed and carriage return; a value from a file or a server may
 * carry any, so those are replaced rather than written into a document no parser would read.
 */
public final class XmlText {
    private XmlText() {
    }

    public static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String e = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                default -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? "\uFFFD" : null;
            };
            if (e != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (e != null) {
                    b.append(e);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * The text of an escaped value: the five predefined entities back to their characters, {@code &amp;} last so that
     * an escaped entity ({@code &amp;lt;}) stays text. Numeric character references are left as written.
     */
    public static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
