package org.phoneemu.scenario;

import org.phoneemu.core.text.XmlText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes scenario results as JUnit XML (one testsuite per scenario file), as Jenkins and GitLab read it. */
public final class JUnitXmlReport {
    private JUnitXmlReport() {
    }

    public static void write(Path file, List<ScenarioResult> results) throws IOException {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long tests = 0;
        long failures = 0;
        long errors = 0;
        for (ScenarioResult r : results) {
            tests += Math.max(1, r.checks().size());
            failures += r.failures();
            errors += r.error() == null ? 0 : 1;
        }
        x.append("<testsuites name=\"phone-emu scenarios\" tests=\"").append(tests).append("\" failures=\"").append(failures)
                .append("\" errors=\"").append(errors).append("\">\n");
        for (ScenarioResult r : results) {
            String suite = r.scenario().file().getFileName().toString();
            x.append("  <testsuite name=\"").append(XmlText.escape(suite)).append("\" tests=\"").append(Math.max(1, r.checks().size()))
                    .append("\" failures=\"").append(r.failures()).append("\" errors=\"").append(r.error() == null ? 0 : 1)
                    .append("\" time=\"").append(seconds(r)).append("\">\n");
            x.append("    <properties><property name=\"scenario\" value=\"").append(XmlText.escape(r.scenario().name())).append("\"/></properties>\n");
            if (r.error() != null) {
                x.append("    <testcase classname=\"").append(XmlText.escape(suite)).append("\" name=\"run\">\n")
                        .append("      <error message=\"").append(XmlText.escape(r.error())).append("\"/>\n    </testcase>\n");
            }
            for (ScenarioResult.Check c : r.checks()) {
                x.append("    <testcase classname=\"").append(XmlText.escape(suite)).append("\" name=\"").append(XmlText.escape(c.name())).append('"');
                if (c.passed()) {
                    x.append("/>\n");
                } else {
                    x.append(">\n      <failure message=\"").append(XmlText.escape(c.failure())).append("\"/>\n    </testcase>\n");
                }
            }
            x.append("  </testsuite>\n");
        }
        x.append("</testsuites>\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Whole or not at all: a CI that reads the report never sees half of one.
        org.phoneemu.core.store.AtomicFiles.write(org.phoneemu.core.store.FileOps.system(), file, x.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String seconds(ScenarioResult r) {
        return String.format(java.util.Locale.ROOT, "%.3f", r.elapsed().toMillis() / 1000.0);
    }
}
