package org.phoneemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.testing.Vectors;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * docs/ARCHITECTURE.md is drawn from the POMs: its module table and its mermaid graph name exactly each module's
 * compile-scope dependencies on other modules, and the table names every library a module depends on.
 */
class ArchitectureDocTest {
    /** How the table names a library, by Maven group. */
    private static final Map<String, String> LIBRARY_WORDS = Map.ofEntries(
            Map.entry("io.netty", "Netty"), Map.entry("org.bouncycastle", "Bouncy Castle"), Map.entry("org.slf4j", "SLF4J"),
            Map.entry("org.hdrhistogram", "HdrHistogram"), Map.entry("io.micrometer", "Micrometer"),
            Map.entry("com.fasterxml.jackson.core", "Jackson"), Map.entry("info.picocli", "picocli"), Map.entry("org.yaml", "SnakeYAML"),
            Map.entry("software.amazon.cryptools", "ACCP"), Map.entry("org.openjdk.jmh", "JMH"), Map.entry("ch.qos.logback", "Logback"));

    private static Path root;
    private static String doc;
    /** Each module's compile-scope dependencies: other modules, and libraries by group. */
    private static final Map<String, Set<String>> modules = new TreeMap<>();
    private static final Map<String, Set<String>> libraries = new TreeMap<>();

    @BeforeAll
    static void readPomsAndDoc() throws Exception {
        root = Vectors.root().getParent();
        doc = Files.readString(root.resolve("docs/ARCHITECTURE.md"));
        List<String> names = new ArrayList<>(childTexts(pom(root), "module"));
        for (String name : names) {
            Document pom = pom(root.resolve(name));
            Set<String> mods = new TreeSet<>();
            Set<String> libs = new TreeSet<>();
            NodeList deps = pom.getElementsByTagName("dependency");
            for (int i = 0; i < deps.getLength(); i++) {
                Element d = (Element) deps.item(i);
                if (!(d.getParentNode().getParentNode() instanceof Element p) || !p.getTagName().equals("project")) {
                    continue; // dependencyManagement or a plugin's dependencies
                }
                String scope = text(d, "scope");
                if (scope.equals("test")) {
                    continue;
                }
                String group = text(d, "groupId");
                if (group.equals("org.phoneemu")) {
                    mods.add(text(d, "artifactId"));
                } else {
                    libs.add(group);
                }
            }
            modules.put(name, mods);
            libraries.put(name, libs);
        }
    }

    @Test
    void theReactorIsRead() {
        assertThat(modules).containsKeys("phone-core", "phone-device", "phone-ui-sim", "phone-bench");
        assertThat(modules.get("phone-device")).contains("phone-core");
    }

    @Test
    void theModuleTableNamesEachModulesDependencies() {
        Map<String, String> rows = tableRows();
        assertThat(rows.keySet()).as("modules in the table").containsExactlyInAnyOrderElementsOf(modules.keySet());
        Map<String, Set<String>> said = new TreeMap<>();
        List<String> missingWords = new ArrayList<>();
        rows.forEach((module, cell) -> {
            Set<String> named = new TreeSet<>();
            Matcher m = Pattern.compile("`([a-z-]+)`").matcher(cell);
            while (m.find()) {
                if (modules.containsKey(m.group(1))) {
                    named.add(m.group(1));
                }
            }
            said.put(module, named);
            for (String group : libraries.get(module)) {
                String word = LIBRARY_WORDS.get(group);
                if (word == null) {
                    missingWords.add(module + ": a library of group " + group + " (give it a word in LIBRARY_WORDS)");
                } else if (!cell.contains(word)) {
                    missingWords.add(module + ": " + word);
                }
            }
        });
        assertThat(said).as("each module's dependencies on other modules, as the table says them").isEqualTo(modules);
        assertThat(missingWords).as("libraries the POMs use and the table does not name").isEmpty();
    }

    @Test
    void theMermaidGraphDrawsEachDependencyOnce() {
        String graph = doc.substring(doc.indexOf("```mermaid"), doc.indexOf("```", doc.indexOf("```mermaid") + 3));
        Map<String, String> ids = new LinkedHashMap<>();
        Matcher node = Pattern.compile("(\\w+)\\[([a-z-]+)").matcher(graph);
        while (node.find()) {
            ids.put(node.group(1), node.group(2));
        }
        Map<String, Set<String>> drawn = new TreeMap<>();
        ids.values().forEach(m -> drawn.put(m, new TreeSet<>()));
        Matcher edge = Pattern.compile("(?m)^\\s*(\\w+)(?:\\[[^\\]]*\\])?\\s*-->\\s*(\\w+)").matcher(graph);
        while (edge.find()) {
            assertThat(ids).as("a node declared with its module name").containsKeys(edge.group(1), edge.group(2));
            drawn.get(ids.get(edge.group(1))).add(ids.get(edge.group(2)));
        }
        assertThat(drawn).as("the mermaid graph's arrows").isEqualTo(modules);
    }

    @Test
    void theEmbeddingExampleIsTheCodeOfItsTest() throws Exception {
        String test = Files.readString(root.resolve("phone-ui-sim/src/test/java/org/phoneemu/embedding/EmbeddedPhoneExampleTest.java"));
        String body = test.substring(test.indexOf("// example: begin") + "// example: begin".length(), test.indexOf("    // example: end"));
        int at = doc.indexOf("## Embedding a phone");
        assertThat(at).as("the section").isPositive();
        String shown = doc.substring(doc.indexOf("```java", at) + "```java".length(), doc.indexOf("```", doc.indexOf("```java", at) + 7));
        assertThat(words(shown)).isEqualTo(words(body));
    }

    private static String words(String code) {
        return code.strip().replaceAll("\\s+", " ");
    }

    /** The module table's rows: module name to its "may depend on" cell. */
    private static Map<String, String> tableRows() {
        Map<String, String> rows = new TreeMap<>();
        for (String line : doc.lines().toList()) {
            Matcher m = Pattern.compile("^\\| `([a-z-]+)` \\|.*\\| ([^|]*) \\|$").matcher(line);
            if (m.find()) {
                rows.put(m.group(1), m.group(2));
            }
        }
        return rows;
    }

    private static Document pom(Path dir) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("pom.xml"))));
    }

    /** Every {@code <module>} of the root POM, the profiles' too (phone-bench). */
    private static List<String> childTexts(Document d, String tag) {
        List<String> out = new ArrayList<>();
        NodeList l = d.getElementsByTagName(tag);
        for (int i = 0; i < l.getLength(); i++) {
            out.add(l.item(i).getTextContent().trim());
        }
        return out;
    }

    private static String text(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c.getTextContent().trim();
            }
        }
        return "";
    }
}
