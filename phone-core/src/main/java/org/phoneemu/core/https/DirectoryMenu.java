package org.phoneemu.core.https;

import static org.phoneemu.core.text.XmlText.unescape;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Directories menu a CUCM's {@code xmldirectory.jsp} answers (a {@code CiscoIPPhoneMenu}): the phone opens its
 * first item, the Corporate Directory's search page, adding its own name as the {@code name} parameter (seeds 001
 * and 003: {@code xmldirectoryinput.jsp?name=SEP0011215A1AE3}).
 */
public final class DirectoryMenu {
    /** A menu larger than this is not looked into (the server's page is bounded before it gets here anyway). */
    static final int MAX_MENU_CHARS = 64 * 1024;

    private DirectoryMenu() {
    }

    /**
     * The first menu item's URL when {@code page} is a {@code CiscoIPPhoneMenu} whose item is an HTTPS URL; empty
     * for any other page (a directory answered directly, a page too large, a malformed or non-HTTPS item). Read by
     * searching the text for the first {@code <MenuItem>}'s {@code <URL>}: no XML parser, nothing recursive.
     */
    public static Optional<URI> firstItem(String page) {
        if (page == null || page.length() > MAX_MENU_CHARS || !page.contains("<CiscoIPPhoneMenu>")) {
            return Optional.empty();
        }
        int item = page.indexOf("<MenuItem>");
        int end = item < 0 ? -1 : page.indexOf("</MenuItem>", item);
        int open = item < 0 ? -1 : page.indexOf("<URL>", item);
        int close = open < 0 ? -1 : page.indexOf("</URL>", open);
        if (open < 0 || close < 0 || end < 0 || close > end) {
            return Optional.empty();
        }
        String url = unescape(page.substring(open + "<URL>".length(), close).strip());
        try {
            URI u = new URI(url);
            return "https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null ? Optional.of(u) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** {@code item} with {@code name=<deviceName>} added to its query (kept when the item already names one). */
    public static URI withName(URI item, String deviceName) {
        String query = item.getRawQuery();
        if (query != null && ("&" + query).contains("&name=")) {
            return item;
        }
        String param = "name=" + percentEncoded(deviceName);
        String s = item.toString();
        int hash = s.indexOf('#');
        String base = hash < 0 ? s : s.substring(0, hash);
        return URI.create(base + (query == null ? "?" : "&") + param);
    }

    /** RFC 3986 percent-encoding of a query value (unreserved characters kept): phone-core decides URLs, java.net stays out. */
    static String percentEncoded(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
