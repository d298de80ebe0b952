package org.phoneemu.core.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses configuration XML as a hardened parser: no DTD at all (so no entity expansion, no billion laughs),
 * no external entities, no XInclude, and the real phone's size limit of 550001 bytes.
 */
public final class PhoneConfigParser {
    /** The real phone logs {@code max size = 550001} for configuration downloads. */
    public static final int MAX_SIZE = 550001;
    /** Elements nested deeper than this are refused while parsing (a real config is about 8 deep). */
    public static final int MAX_DEPTH = 32;
    private static final String MAX_DEPTH_NAME = "maxElementDepth";
    private static final String MAX_DEPTH_PROPERTY = "http://www.oracle.com/xml/jaxp/properties/" + MAX_DEPTH_NAME;

    private PhoneConfigParser() {
    }

    public static PhoneConfig parse(byte[] xml) throws ConfigException {
        if (xml.length > MAX_SIZE) {
            throw new ConfigException("configuration of " + xml.length + " bytes is over the phone's limit of " + MAX_SIZE);
        }
        Document doc = document(xml);
        Element root = doc.getDocumentElement();
        if (!"device".equals(root.getTagName())) {
            throw new ConfigException("root element is <" + root.getTagName() + ">, not <device>");
        }
        List<String> refused = new ArrayList<>();
        Map<String, String> elements = new LinkedHashMap<>();
        for (Element e : children(root)) {
            if (children(e).isEmpty()) {
                elements.putIfAbsent(e.getTagName(), e.getTextContent().trim());
            }
        }
        Map<String, String> urls = new LinkedHashMap<>();
        for (String name : PhoneConfig.URL_ELEMENTS) {
            String v = elements.get(name);
            if (v != null && !v.isEmpty()) {
                Optional<String> problem = urlProblem(v);
                if (problem.isPresent()) {
                    refused.add(name + ": '" + v + "' " + problem.get());
                } else {
                    urls.put(name, v);
                }
            }
        }
        Map<String, String> vendor = new HashMap<>();
        child(root, "vendorConfig").ifPresent(v -> children(v).forEach(e -> vendor.put(e.getTagName(), e.getTextContent().trim())));
        String certHash = elements.get("certHash");
        return new PhoneConfig(
                bool(elements.get("fullConfig"), true),
                callManagers(root),
                tvsServers(root, refused),
                new VendorConfig(vendor),
                urls,
                integer(elements.get("deviceSecurityMode")),
                integer(elements.get("transportLayerProtocol")),
                Optional.ofNullable(elements.get("loadInformation")),
                integer(elements.get("capfAuthMode")),
                certHash == null || certHash.isEmpty() ? Optional.empty() : Optional.of(certHash.toLowerCase()),
                bool(elements.get("encrConfig"), false),
                elements,
                refused,
                digestCredentials(root));
    }

    /**
     * The digest credentials CUCM writes for a device with a Digest User: {@code <sipProfile><sipLines><line>}'s
     * {@code <authName>} and {@code <authPassword>} (the first line that names a user; docs/SIP.md §12).
     */
    private static Optional<org.phoneemu.core.config.DigestCredentials> digestCredentials(Element root) {
        Optional<Element> lines = child(root, "sipProfile").flatMap(p -> child(p, "sipLines"));
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        for (Element line : children(lines.get())) {
            if (!line.getTagName().equals("line")) {
                continue;
            }
            String user = child(line, "authName").map(e -> e.getTextContent().trim()).orElse("");
            if (!user.isEmpty()) {
                String password = child(line, "authPassword").map(Element::getTextContent).orElse("");
                return Optional.of(new org.phoneemu.core.config.DigestCredentials(user, password));
            }
        }
        return Optional.empty();
    }

    /** The {@code <capfList>} of a configuration, in order (empty when it has none). */
    public static List<CapfServerEntry> capfList(byte[] xml) throws ConfigException {
        List<CapfServerEntry> out = new ArrayList<>();
        Element root = document(xml).getDocumentElement();
        child(root, "capfList").ifPresent(list -> {
            for (Element c : children(list)) {
                String node = child(c, "processNodeName").map(e -> e.getTextContent().trim()).orElse("");
                if (!"capf".equals(c.getTagName()) || node.isEmpty()) {
                    continue;
                }
                int port = child(c, "phonePort").flatMap(e -> integer(e.getTextContent())).orElse(CapfServerEntry.DEFAULT_PORT);
                out.add(new CapfServerEntry(node, port));
            }
        });
        return out;
    }

    /**
     * One hardened builder per thread, reset after each use: creating a factory and a builder per config was a
     * fifth of a large fleet's CPU.
     */
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(PhoneConfigParser::newBuilder);

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            // The parser itself stops at this depth, so no deep tree is ever built (nor walked by recursive code).
            f.setAttribute(MAX_DEPTH_PROPERTY, Integer.toString(MAX_DEPTH));
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("cannot configure the XML parser: " + e.getMessage(), e);
        }
    }

    private static Document document(byte[] xml) throws ConfigException {
        DocumentBuilder b = BUILDERS.get();
        try {
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity " + systemId + " refused");
            });
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains(MAX_DEPTH_NAME)) {
                throw new ConfigException("configuration is nested deeper than " + MAX_DEPTH + " elements: refused as malformed");
            }
            if (m.contains("DOCTYPE")) {
                throw new ConfigException("configuration has a DOCTYPE declaration: refused (no DTDs, no entities)");
            }
            throw new ConfigException("configuration is not well-formed XML (line " + e.getLineNumber() + "): " + m);
        } catch (SAXException e) {
            throw new ConfigException("configuration refused: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot parse configuration: " + e.getMessage());
        } finally {
            b.reset();
        }
    }

    /**
     * Why the phone could not use {@code v} as a service URL (it would fail at the first key press), or empty:
     * an http or https URI with a host and, if any, a port of 1-65535.
     */
    static Optional<String> urlProblem(String v) {
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("is not an http or https URL");
        }
        if (uri.getHost() == null) {
            // A port out of range leaves the authority unparsed as a server: say which.
            if (uri.getRawAuthority() != null && uri.getRawAuthority().matches(".*:\\d+")) {
                String port = uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf(':') + 1);
                return Optional.of("has port " + port + ", not 1-65535");
            }
            return Optional.of("has no host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return Optional.of("has port " + uri.getPort() + ", not 1-65535");
        }
        return Optional.empty();
    }

    private static List<TvsServerEntry> tvsServers(Element root, List<String> refused) {
        List<TvsServerEntry> out = new ArrayList<>();
        child(root, "TVS").flatMap(t -> child(t, "members")).ifPresent(members -> {
            int order = 0;
            for (Element m : children(members)) {
                if (!"member".equals(m.getTagName())) {
                    continue;
                }
                String address = child(m, "address").map(e -> e.getTextContent().trim()).orElse("");
                if (address.isEmpty()) {
                    continue;
                }
                Optional<String> portText = child(m, "port").map(e -> e.getTextContent().trim()).filter(t -> !t.isEmpty());
                Optional<Integer> parsed = portText.flatMap(PhoneConfigParser::integer);
                if (portText.isPresent() && (parsed.isEmpty() || parsed.get() < 1 || parsed.get() > 65535)) {
                    refused.add("TVS member " + address + ": port " + portText.get() + " is not 1-65535");
                    continue;
                }
                int port = parsed.orElse(TvsServerEntry.DEFAULT_PORT);
                int priority = integer(m.getAttribute("priority")).orElse(order);
                out.add(new TvsServerEntry(priority, address, port));
                order++;
            }
        });
        out.sort(Comparator.comparingInt(TvsServerEntry::priority));
        return out.size() > 5 ? out.subList(0, 5) : out;
    }

    private static List<CallManagerEntry> callManagers(Element root) {
        List<CallManagerEntry> out = new ArrayList<>();
        child(root, "devicePool").flatMap(p -> child(p, "callManagerGroup")).flatMap(g -> child(g, "members"))
                .ifPresent(members -> {
                    int order = 0;
                    for (Element m : children(members)) {
                        Optional<Element> cm = child(m, "callManager");
                        if (cm.isEmpty()) {
                            continue;
                        }
                        String node = child(cm.get(), "processNodeName").map(e -> e.getTextContent().trim()).orElse("");
                        Optional<Element> ports = child(cm.get(), "ports");
                        int sip = ports.flatMap(p -> child(p, "sipPort")).flatMap(e -> integer(e.getTextContent())).orElse(5060);
                        int secure = ports.flatMap(p -> child(p, "securedSipPort")).flatMap(e -> integer(e.getTextContent())).orElse(5061);
                        out.add(new CallManagerEntry(integer(m.getAttribute("priority")).orElse(order), node, sip, secure));
                        order++;
                    }
                });
        out.sort(Comparator.comparingInt(CallManagerEntry::priority));
        return out;
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            }
        }
        return out;
    }

    private static Optional<Element> child(Element e, String name) {
        return children(e).stream().filter(c -> c.getTagName().equals(name)).findFirst();
    }

    private static Optional<Integer> integer(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean bool(String s, boolean otherwise) {
        if (s == null || s.isBlank()) {
            return otherwise;
        }
        String v = s.trim();
        return "true".equalsIgnoreCase(v) || "1".equals(v);
    }
}
