package org.phoneemu.fleet.shard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * A shard's {@code junit.xml}, read as a stream (StAX: no recursion, so no depth makes the stack overflow, and no
 * document held in memory): counted on reading, its test cases copied one at a time into the merged file.
 */
record JunitCases(Path file, long tests, long failures) {
    /** The fleet writes testsuite > testcase > failure; a few levels more are tolerated, a deep nest is refused. */
    static final int MAX_DEPTH = 16;

    static JunitCases read(Path file) throws ShardReportException, IOException {
        long[] counts = new long[2];
        scan(file, new Visitor() {
            @Override
            public void testcaseStart(XMLStreamReader r) {
                counts[0]++;
            }

            @Override
            public void failure() {
                counts[1]++;
            }
        });
        return new JunitCases(file, counts[0], counts[1]);
    }

    /** Writes one suite with every part's test cases, in the parts' order. */
    static void write(Path out, List<JunitCases> parts) throws IOException {
        long tests = parts.stream().mapToLong(JunitCases::tests).sum();
        long failures = parts.stream().mapToLong(JunitCases::failures).sum();
        try (OutputStream os = Files.newOutputStream(out)) {
            XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(os, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("testsuite");
            w.writeAttribute("name", "phone-emu fleet");
            w.writeAttribute("tests", Long.toString(tests));
            w.writeAttribute("failures", Long.toString(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("skipped", "0");
            w.writeCharacters("\n");
            for (JunitCases p : parts) {
                try {
                    copyCases(p.file, w);
                } catch (ShardReportException e) {
                    throw new IOException(e.getMessage(), e); // read and checked once already: only a file changed meanwhile
                }
            }
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException(out + ": " + e.getMessage(), e);
        }
    }

    private static void copyCases(Path file, XMLStreamWriter w) throws ShardReportException, IOException, XMLStreamException {
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = factory().createXMLStreamReader(in);
            int depth = 0;
            boolean inCase = false;
            while (r.hasNext()) {
                int e = r.next();
                if (e == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 2 && "testcase".equals(r.getLocalName())) {
                        inCase = true;
                        w.writeCharacters("  ");
                    }
                    if (inCase) {
                        w.writeStartElement(r.getLocalName());
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            w.writeAttribute(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                    }
                } else if (e == XMLStreamConstants.END_ELEMENT) {
                    if (inCase) {
                        w.writeEndElement();
                    }
                    if (depth == 2 && inCase) {
                        inCase = false;
                        w.writeCharacters("\n");
                    }
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            throw new ShardReportException(file + ": not XML: " + e.getMessage());
        }
    }

    private interface Visitor {
        void testcaseStart(XMLStreamReader r);

        void failure();
    }

    private static void scan(Path file, Visitor v) throws ShardReportException, IOException {
        if (Files.isDirectory(file)) {
            throw new ShardReportException(file + ": a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ShardReportException(file + ": missing");
        }
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = factory().createXMLStreamReader(in);
            int depth = 0;
            boolean root = false;
            while (r.hasNext()) {
                int e = r.next();
                if (e == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth > MAX_DEPTH) {
                        throw new ShardReportException(file + ": elements nested deeper than " + MAX_DEPTH + " (line "
                                + r.getLocation().getLineNumber() + "): not a fleet junit.xml");
                    }
                    String name = r.getLocalName();
                    if (depth == 1) {
                        if (!"testsuite".equals(name)) {
                            throw new ShardReportException(file + ": the root element is <" + name + ">, not <testsuite>");
                        }
                        root = true;
                    } else if (depth == 2 && "testcase".equals(name)) {
                        v.testcaseStart(r);
                    } else if (depth == 3 && "failure".equals(name)) {
                        v.failure();
                    }
                } else if (e == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            if (!root) {
                throw new ShardReportException(file + ": no <testsuite>");
            }
        } catch (XMLStreamException e) {
            throw new ShardReportException(file + ": not XML: " + e.getMessage());
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newInstance();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }
}
