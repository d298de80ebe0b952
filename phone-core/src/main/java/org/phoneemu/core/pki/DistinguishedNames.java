package org.phoneemu.core.pki;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.util.encoders.Hex;

/**
 * Writes names the way signed files carry them, and compares names written in either style. Two names are
 * equal when they hold the same attributes with the same values, whatever the separator, order, spacing or case.
 */
public final class DistinguishedNames {
    private DistinguishedNames() {
    }

    /** Formats a certificate name most-specific attribute first ({@code CN=…} first), joined in {@code style}. */
    public static String format(X500Principal principal, NameStyle style) {
        X500Name name = X500Name.getInstance(principal.getEncoded());
        RDN[] rdns = name.getRDNs();
        List<String> parts = new ArrayList<>();
        for (int i = rdns.length - 1; i >= 0; i--) {
            for (AttributeTypeAndValue atv : rdns[i].getTypesAndValues()) {
                parts.add(shortName(atv.getType()) + "=" + value(atv.getValue()));
            }
        }
        return String.join(style.separator(), parts);
    }

    /**
     * A value as text; one that cannot be decoded as text (a UTF8String holding bytes that are not UTF-8, as a hostile
     * certificate may carry) is written as RFC 4514 writes any value: {@code #} and the hex of its DER encoding. So
     * formatting never throws, and such a name equals no name a trust list or store holds.
     */
    private static String value(ASN1Encodable v) {
        try {
            return IETFUtils.valueToString(v);
        } catch (IllegalArgumentException | IllegalStateException notText) {
            try {
                return "#" + Hex.toHexString(v.toASN1Primitive().getEncoded(ASN1Encoding.DER));
            } catch (IOException e) {
                return "#";
            }
        }
    }

    private static String shortName(ASN1ObjectIdentifier oid) {
        String s = BCStyle.INSTANCE.oidToDisplayName(oid);
        return s == null ? oid.getId() : s.toUpperCase(Locale.ROOT);
    }

    /** True when both names carry the same attributes; either may use ';' or ','. */
    public static boolean sameName(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    /** True when {@code written} (as found in a file) names {@code principal}. */
    public static boolean sameName(String written, X500Principal principal) {
        return canonical(written).equals(canonical(format(principal, NameStyle.RFC4514)));
    }

    /** A canonical form: attributes as upper-case type and lower-case value, sorted. */
    public static List<String> canonical(String name) {
        List<String> parts = split(name == null ? "" : name);
        List<String> out = new ArrayList<>(parts.size());
        for (String p : parts) {
            String part = p.trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String type = eq < 0 ? "" : alias(part.substring(0, eq).trim().toUpperCase(Locale.ROOT));
            String value = (eq < 0 ? part : part.substring(eq + 1)).trim().toLowerCase(Locale.ROOT);
            out.add(type + "=" + unescape(value));
        }
        out.sort(null);
        return out;
    }

    private static String alias(String type) {
        return switch (type) {
            case "S" -> "ST";
            case "EMAILADDRESS", "EMAIL" -> "E";
            case "2.5.4.3" -> "CN";
            case "2.5.4.11" -> "OU";
            case "2.5.4.10" -> "O";
            case "2.5.4.7" -> "L";
            case "2.5.4.8" -> "ST";
            case "2.5.4.6" -> "C";
            default -> type;
        };
    }

    // CUCM's ';' names may hold commas inside values, so a name with ';' is split on ';' only.
    private static List<String> split(String name) {
        char sep = name.indexOf(';') >= 0 ? ';' : ',';
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (escaped) {
                cur.append(c);
                escaped = false;
            } else if (c == '\\') {
                cur.append(c);
                escaped = true;
            } else if (c == sep || (sep == ',' && c == '+')) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static String unescape(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                sb.append(v.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
