package org.phoneemu.cucm.files.internal;

import static org.phoneemu.core.text.XmlText.escape;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@code SEP<MAC>.cnf.xml} and {@code XMLDefault.cnf.xml} in the shape of docs/FORMATS.md §4 (root
 * {@code <device>}, {@code <fullConfig>} first, the CallManager group, the TVS list in priority order,
 * {@code vendorConfig}, service URLs, security mode, CAPF, {@code certHash}/{@code encrConfig}).
 */
public final class ConfigXml {
    /** {@code transportLayerProtocol}: 2 TCP, 3 TLS. */
    public static final int TRANSPORT_TCP = 2;
    public static final int TRANSPORT_TLS = 3;

    /** One CallManager of the device's group: its process node name and SIP ports (the registrar's bound ones). */
    public record CallManagerMember(String processNodeName, int sipPort, int securedSipPort) {
    }
    /** CAPF listens on 3804. */
    public static final int CAPF_PORT = 3804;

    /** A TVS server as the phone connects to it. */
    public record TvsMember(String address, int port) {
    }

    /**
     * The CAPF service as the phone reaches it, and the device's pending certificate operation.
     *
     * @param node address (or name) of the node running CAPF
     * @param port its CAPF port
     * @param authMode {@code capfAuthMode}: 0 null string, 1 authentication string, 2 existing certificate
     * @param operation {@code certOperation}: {@code install}, {@code delete} or {@code troubleshoot}; empty when none is pending
     */
    public record CapfEntry(String node, int port, int authMode, Optional<String> operation) {
        public static CapfEntry none(String node) {
            return new CapfEntry(node, CAPF_PORT, 0, Optional.empty());
        }
    }

    /**
     * What goes into one configuration file.
     *
     * @param callManagers the CallManager group, in priority order
     * @param tvs the TVS servers of the same group, in the same order
     * @param vendorConfig {@code vendorConfig} elements in order; empty for XMLDefault
     * @param webBase {@code https://<address>:<port>} of the node serving the directory and services
     * @param securityMode {@code deviceSecurityMode} (1, 2, 3)
     * @param transportLayerProtocol {@link #TRANSPORT_TCP} or {@link #TRANSPORT_TLS}
     * @param capf the CAPF service and the device's pending certificate operation
     * @param certHash lower-case hex MD5 of the phone's LSC, when the configuration is encrypted to it
     * @param digest the device's Digest User and credentials, written as the first line's {@code <authName>} and
     *               {@code <authPassword>} (docs/SIP.md §12); never in the stub of an encrypted configuration
     */
    public record Settings(List<CallManagerMember> callManagers, List<TvsMember> tvs, Map<String, String> vendorConfig,
                           Optional<String> loadInformation, String webBase, int securityMode, int transportLayerProtocol,
                           CapfEntry capf, Optional<String> certHash, Optional<org.phoneemu.core.config.DigestCredentials> digest) {
        public Settings(List<CallManagerMember> callManagers, List<TvsMember> tvs, Map<String, String> vendorConfig,
                        Optional<String> loadInformation, String webBase, int securityMode, int transportLayerProtocol,
                        CapfEntry capf, Optional<String> certHash) {
            this(callManagers, tvs, vendorConfig, loadInformation, webBase, securityMode, transportLayerProtocol, capf, certHash,
                    Optional.empty());
        }

        /** These settings with the device's digest credentials. */
        public Settings withDigest(Optional<org.phoneemu.core.config.DigestCredentials> credentials) {
            return new Settings(callManagers, tvs, vendorConfig, loadInformation, webBase, securityMode, transportLayerProtocol, capf,
                    certHash, credentials);
        }

        public Settings {
            java.util.Objects.requireNonNull(digest, "digest");
            callManagers = List.copyOf(callManagers);
            tvs = List.copyOf(tvs);
            vendorConfig = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vendorConfig));
        }
    }

    private ConfigXml() {
    }

    /** The full configuration of a device (the plain {@code .cnf.xml}, or the plaintext of the {@code .enc.sgn}). */
    public static String device(Settings s) {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n");
        x.append("  <fullConfig>true</fullConfig>\n");
        x.append("  <deviceProtocol>SIP</deviceProtocol>\n");
        s.digest().ifPresent(d -> x.append("  <sipProfile>\n    <sipLines>\n      <line button=\"1\">\n")
                .append("        <featureID>9</featureID>\n")
                .append("        <authName>").append(escape(d.user())).append("</authName>\n")
                .append("        <authPassword>").append(escape(d.password())).append("</authPassword>\n")
                .append("      </line>\n    </sipLines>\n  </sipProfile>\n"));
        devicePool(x, s);
        tvs(x, s);
        if (!s.vendorConfig().isEmpty()) {
            x.append("  <vendorConfig>\n");
            s.vendorConfig().forEach((k, v) -> x.append("    <").append(k).append('>').append(escape(v)).append("</").append(k).append(">\n"));
            x.append("  </vendorConfig>\n");
        }
        s.loadInformation().ifPresent(l -> element(x, "loadInformation", l));
        element(x, "directoryURL", s.webBase() + "/ccmcip/xmldirectory.jsp");
        element(x, "servicesURL", s.webBase() + "/ccmcip/getservicesmenu.jsp");
        element(x, "deviceSecurityMode", Integer.toString(s.securityMode()));
        element(x, "transportLayerProtocol", Integer.toString(s.transportLayerProtocol()));
        x.append(stubElements(s));
        element(x, "certHash", s.certHash().orElse(""));
        element(x, "encrConfig", Boolean.toString(s.certHash().isPresent()));
        x.append("</device>\n");
        return x.toString();
    }

    /**
     * {@code XMLDefault.cnf.xml}: what a phone without a configuration of its own gets. CUCM's root element is
     * {@code <Default>}; this one is {@code <device>} so phone-core's parser (which requires it) reads it.
     */
    public static String xmlDefault(Settings s) {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n");
        x.append("  <fullConfig>true</fullConfig>\n");
        devicePool(x, s);
        tvs(x, s);
        element(x, "directoryURL", s.webBase() + "/ccmcip/xmldirectory.jsp");
        element(x, "servicesURL", s.webBase() + "/ccmcip/getservicesmenu.jsp");
        element(x, "deviceSecurityMode", "1");
        x.append("</device>\n");
        return x.toString();
    }

    /** The elements an encrypted configuration's stub copies from the full one (docs/FORMATS.md §3). */
    public static String stubElements(Settings s) {
        StringBuilder x = new StringBuilder();
        element(x, "ipAddressMode", "0");
        s.loadInformation().ifPresent(l -> element(x, "loadInformation", l));
        element(x, "capfAuthMode", Integer.toString(s.capf().authMode()));
        x.append("  <capfList><capf><phonePort>").append(s.capf().port()).append("</phonePort><processNodeName>")
                .append(escape(s.capf().node())).append("</processNodeName></capf></capfList>\n");
        s.capf().operation().ifPresent(op -> element(x, "certOperation", op));
        return x.toString();
    }

    private static void devicePool(StringBuilder x, Settings s) {
        x.append("  <devicePool>\n    <callManagerGroup>\n      <members>\n");
        for (int i = 0; i < s.callManagers().size(); i++) {
            x.append("        <member priority=\"").append(i).append("\">\n");
            x.append("          <callManager>\n");
            CallManagerMember m = s.callManagers().get(i);
            x.append("            <ports><sipPort>").append(m.sipPort()).append("</sipPort><securedSipPort>")
                    .append(m.securedSipPort()).append("</securedSipPort></ports>\n");
            x.append("            <processNodeName>").append(escape(m.processNodeName())).append("</processNodeName>\n");
            x.append("          </callManager>\n");
            x.append("        </member>\n");
        }
        x.append("      </members>\n    </callManagerGroup>\n  </devicePool>\n");
    }

    private static void tvs(StringBuilder x, Settings s) {
        x.append("  <TVS>\n    <members>\n");
        for (int i = 0; i < s.tvs().size(); i++) {
            TvsMember m = s.tvs().get(i);
            x.append("      <member priority=\"").append(i).append("\"><port>").append(m.port()).append("</port><address>")
                    .append(escape(m.address())).append("</address></member>\n");
        }
        x.append("    </members>\n  </TVS>\n");
    }

    private static void element(StringBuilder x, String name, String value) {
        x.append("  <").append(name).append('>').append(escape(value)).append("</").append(name).append(">\n");
    }
}
