package org.phoneemu.core.sip;

import static org.phoneemu.core.text.XmlText.escape;
import static org.phoneemu.core.text.XmlText.unescape;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;

/**
 * The DeviceTLInfo alarm: the phone tells CallManager which trust lists it holds, by their SHA-1 (seeds 000, 002, 004:
 * "report the SHA1 hash of their ITL to CUCM using the DeviceTLInfo alarm", 9.4(1) and later). It rides a SIP REFER
 * whose body is an {@code application/x-cisco-alarm+xml} document (docs/SIP.md §11 says which fields are guessed).
 *
 * @param ctlSha1 the installed CTL file's SHA-1 (lowercase hex), empty when none is installed
 * @param itlSha1 the installed ITL file's SHA-1 (lowercase hex), empty when none is installed
 * @param ctlTftpServer the TFTP server the CTL came from ("N/A" when none is installed)
 * @param itlTftpServer the TFTP server the ITL came from ("N/A" when none is installed)
 */
public record DeviceTlInfo(String deviceName, String ipv4Address, Optional<String> ctlSha1, String ctlTftpServer,
                           Optional<String> itlSha1, String itlTftpServer, int statusCode) {
    public static final String ALARM_NAME = "DeviceTLInfo";
    public static final String CONTENT_TYPE = "application/x-cisco-alarm+xml";
    static final String NOT_INSTALLED = "Not Installed";
    static final String NO_SERVER = "N/A";
    /** The value a 12.x phone sent in the one public capture (its meaning is not published). */
    public static final int STATUS_CODE = 3;
    /** An alarm body larger than this is not read (a real one is under 1 KB). */
    public static final int MAX_BODY_CHARS = 8 * 1024;

    /** The alarm for the lists installed now; {@code tftpServer}: where the phone fetches its lists. */
    public static DeviceTlInfo of(String deviceName, InstalledTrust lists, String tftpServer) {
        return new DeviceTlInfo(deviceName, "", lists.ctl().map(DeviceTlInfo::sha1), lists.ctl().isPresent() ? tftpServer : NO_SERVER,
                lists.itl().map(DeviceTlInfo::sha1), lists.itl().isPresent() ? tftpServer : NO_SERVER, STATUS_CODE);
    }

    private static String sha1(TrustList list) {
        return list.file().sha1Hex();
    }

    public DeviceTlInfo withAddress(String ipv4) {
        return new DeviceTlInfo(deviceName, ipv4, ctlSha1, ctlTftpServer, itlSha1, itlTftpServer, statusCode);
    }

    /** The alarm document, its parameters in the phone's order. */
    public String toXml() {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<x-cisco-alarm>\n<Alarm Name=\"")
                .append(ALARM_NAME).append("\">\n<ParameterList>\n");
        parameters().forEach((k, v) -> x.append("<String name=\"").append(k).append("\">").append(escape(v)).append("</String>\n"));
        return x.append("</ParameterList>\n</Alarm>\n</x-cisco-alarm>\n").toString();
    }

    private Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("DeviceName", deviceName);
        p.put("IPv4Address", ipv4Address);
        p.put("IPv6Address", "");
        p.put("CTL_Signature", ctlSha1.map(DeviceTlInfo::spaced).orElse(NOT_INSTALLED));
        p.put("CTL_TFTP_Server", ctlTftpServer);
        p.put("ITL_Signature", itlSha1.map(DeviceTlInfo::spaced).orElse(NOT_INSTALLED));
        p.put("ITL_TFTP_Server", itlTftpServer);
        p.put("StatusCode", Integer.toString(statusCode));
        return p;
    }

    /** A hash as the phone writes it: uppercase byte pairs, each followed by a space ("1B A1 … 6D "). */
    static String spaced(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < hex.length(); i += 2) {
            b.append(hex.substring(i, i + 2).toUpperCase(Locale.ROOT)).append(' ');
        }
        return b.toString();
    }

    /**
     * Reads an alarm document as CallManager does; empty for another alarm, a body too large, or a DeviceTLInfo
     * without a device name. Read by searching the text for each {@code <String name="…">}: no XML parser, no
     * recursion; a signature that is not 20 hex bytes counts as not installed.
     */
    public static Optional<DeviceTlInfo> parse(String xml) {
        if (xml == null || xml.length() > MAX_BODY_CHARS || !xml.contains("<Alarm Name=\"" + ALARM_NAME + "\"")) {
            return Optional.empty();
        }
        Optional<String> name = value(xml, "DeviceName").filter(s -> !s.isBlank());
        if (name.isEmpty()) {
            return Optional.empty();
        }
        int status;
        try {
            status = Integer.parseInt(value(xml, "StatusCode").orElse("-1").strip());
        } catch (NumberFormatException e) {
            status = -1;
        }
        return Optional.of(new DeviceTlInfo(name.get(), value(xml, "IPv4Address").orElse(""),
                value(xml, "CTL_Signature").flatMap(DeviceTlInfo::sha1Of), value(xml, "CTL_TFTP_Server").orElse(NO_SERVER),
                value(xml, "ITL_Signature").flatMap(DeviceTlInfo::sha1Of), value(xml, "ITL_TFTP_Server").orElse(NO_SERVER), status));
    }

    private static Optional<String> sha1Of(String spaced) {
        String hex = spaced.replace(" ", "").toLowerCase(Locale.ROOT);
        return hex.matches("[0-9a-f]{40}") ? Optional.of(hex) : Optional.empty();
    }

    private static Optional<String> value(String xml, String name) {
        String open = "<String name=\"" + name + "\">";
        int at = xml.indexOf(open);
        int end = at < 0 ? -1 : xml.indexOf("</String>", at + open.length());
        if (end < 0) {
            return Optional.empty();
        }
        return Optional.of(unescape(xml.substring(at + open.length(), end)));
    }
}
