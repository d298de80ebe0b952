package org.phoneemu.core.sip;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code name=value} list after {@code Digest} in a challenge or an Authorization header (RFC 7616 §3.3, §3.4; RFC
 * 3261 §25.1 {@code auth-param}): values are tokens or quoted strings with backslash escapes. Names are folded to lower
 * case; the first occurrence of a name wins.
 */
final class DigestParams {
    /** A header value longer than this is not read (a phone's or CUCM's are under 400 characters). */
    static final int MAX_LENGTH = 4096;

    private DigestParams() {
    }

    /** The parameters of {@code value} if it is {@code Digest <params>}, else empty (another scheme, or malformed). */
    static Optional<Map<String, String>> parse(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.length() < 7 || !v.substring(0, 6).equalsIgnoreCase("Digest") || !Character.isWhitespace(v.charAt(6))) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        int i = 7;
        int n = v.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(v.charAt(i)) || v.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int nameStart = i;
            while (i < n && v.charAt(i) != '=' && v.charAt(i) != ',' && !Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            String name = v.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < n && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            if (name.isEmpty() || i >= n || v.charAt(i) != '=') {
                return Optional.empty();
            }
            i++;
            while (i < n && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            StringBuilder val = new StringBuilder();
            if (i < n && v.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = v.charAt(i++);
                    if (c == '\\' && i < n) {
                        val.append(v.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        val.append(c);
                    }
                }
                if (!closed) {
                    return Optional.empty();
                }
            } else {
                while (i < n && v.charAt(i) != ',' && !Character.isWhitespace(v.charAt(i))) {
                    val.append(v.charAt(i++));
                }
            }
            out.putIfAbsent(name, val.toString());
        }
        return Optional.of(out);
    }

    /** {@code "text"} with {@code "} and {@code \} escaped. */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
