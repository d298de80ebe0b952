package org.phoneemu.core.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
                urls.put(name, v);
            }
        }
        Map<String, String> vendor = new HashMap<>();
        child(root, "vendorConfig").ifPresent(v -> children(v).forEach(e -> vendor.put(e.getTagName(), e.getTextContent().trim())));
        String certHash = elements.get("certHash");
        return new PhoneConfig(
                bool(elements.get("fullConfig"), true),
                callManagers(root),
                tvsServers(root),
                new VendorConfig(vendor),
                urls,
                integer(elements.get("deviceSecurityMode")),
                integer(elements.get("transportLayerProtocol")),
                Optional.ofNullable(elements.get("loadInformation")),
                integer(elements.get("capfAuthMode")),
                certHash == null || certHash.isEmpty() ? Optional.empty() : Optional.of(certHash.toLowerCase()),
                bool(elements.get("encrConfig"), false),
                elements);
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

    private static List<TvsServerEntry> tvsServers(Element root) {
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
                int port = child(m, "port").flatMap(e -> integer(e.getTextContent())).orElse(TvsServerEntry.DEFAULT_PORT);
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
