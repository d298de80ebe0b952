package org.phoneemu.web;

import org.phoneemu.core.text.XmlText;

/**
 * HTML text and attribute escaping: the one place every value from a certificate, a config, a status message or
 * a file name passes through on its way into a page (a cluster can put {@code <script>} in a CN).
 */
final class Html {
    private Html() {
    }

    /**
     * Escapes {@code & < > " '} so the value reads as text in element content and in quoted attributes: XML's escaping
     * (phone-core's {@code XmlText}, control characters replaced too) and the apostrophe, for single-quoted attributes.
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        String xml = XmlText.escape(s);
        return xml.indexOf('\'') < 0 ? xml : xml.replace("'", "&#39;");
    }
}
