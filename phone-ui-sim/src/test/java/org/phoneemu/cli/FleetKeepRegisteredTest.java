package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code fleet --keep-registered}: after the boot storm every registered phone stays registered, renewing on its own
 * schedule against the simulated cluster, whose registrar grants 2 s ({@code keepAliveExpires}) so that renewals come
 * every second; the renewals are counted in the summary, summary.json and junit.xml. A SIGTERM during the keeping ends it
 * with one line and the whole report (exit 4); bad input is one line and exit 2.
 */
class FleetKeepRegisteredTest {
    static final String YAML = """
            cluster:
              name: soak
              keySizes: {default: 1024}
              keepAliveExpires: 2
              mixedMode: true
            nodes:
              - {hostname: cucmpub, address: 127.0.0.81, ports: {tftp: 0, tvs: 0, https: 0}}
              - {hostname: cucmsub, address: 127.0.0.82, ports: {tftp: 0, tvs: 0, https: 0}}
            groups:
              - {name: Default, members: [cucmpub, cucmsub]}
            devices:
              - {mac: "00AA00000001", model: 8841, securityMode: 2}
            """;

    @TempDir
    Path tmp;

    private String cluster() throws Exception {
        Path f = tmp.resolve("soak.yaml");
        Files.writeString(f, YAML);
        return f.toString();
    }

    private String[] fleet(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("fleet", "--sim", cluster(), "--phones", "4", "--flash", "memory",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void everyRegisteredPhoneIsKeptRegisteredAndTheRenewalsAreInTheSummaryAndTheReport() throws Exception {
        Path report = tmp.resolve("report");
        Cli.Result r = Cli.run(fleet("--keep-registered", "5s", "--progress", "1", "--report", report.toString()));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("keep-registered: keeping 4 registered phones registered for 5s", "[keep-registered] ", "RENEWALS",
                "Every phone ended trusted.", "Every kept phone stayed registered.").containsPattern("failed +0\n");

        JsonNode renewals = new ObjectMapper().readTree(report.resolve("summary.json").toFile()).get("renewals");
        assertThat(renewals.get("phones").asInt()).isEqualTo(4);
        assertThat(renewals.get("attempted").asLong()).as(renewals.toString()).isGreaterThanOrEqualTo(4);
        assertThat(renewals.get("succeeded").asLong()).isEqualTo(renewals.get("attempted").asLong());
        assertThat(renewals.get("failed").asLong()).isZero();
        assertThat(renewals.get("registeredAtEnd").asInt()).isEqualTo(4);
        assertThat(renewals.get("failedBecause").size()).isZero();

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.resolve("junit.xml").toFile());
        assertThat(junit.getDocumentElement().getAttribute("tests")).isEqualTo("5");
        assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("0");
        Element kept = (Element) junit.getElementsByTagName("testcase").item(4);
        assertThat(kept.getAttribute("name")).isEqualTo("registrations kept");
        assertThat(kept.getElementsByTagName("failure").getLength()).isZero();
    }

    @Test
    void aSigtermWhileKeepingEndsItWithOneLineAndTheWholeReport() throws Exception {
        Path report = tmp.resolve("report");
        try (PhoneEmuProcess p = PhoneEmuProcess.start(tmp, Map.of(), fleet("--keep-registered", "10m", "--progress", "1",
                "--report", report.toString()))) {
            String line = p.awaitLine("[keep-registered] ", 300);
            assertThat(line).as(p.output()).isNotNull();
            p.signal("TERM");
            assertThat(p.await(120)).as(p.output()).isEqualTo(4);
            List<String> stopped = p.output().lines().filter(l -> l.startsWith("phone-emu: fleet stopped")).toList();
            assertThat(stopped).singleElement().asString()
                    .startsWith("phone-emu: fleet stopped (SIGTERM) while keeping the registrations, after ")
                    .endsWith("; the report in " + report + " has every phone");
            assertThat(p.output()).contains("RENEWALS").doesNotContain("at org.");
        }
        JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        assertThat(summary.get("stopped").asText()).isEqualTo("SIGTERM");
        assertThat(summary.get("verdicts").get("trusted").asInt()).isEqualTo(4);
        assertThat(summary.get("renewals").get("phones").asInt()).isEqualTo(4);
    }

    @Test
    void keepRegisteredWithoutRegistrationOrWithoutADurationIsOneLineAndExit2() throws Exception {
        Cli.Result zero = Cli.run(fleet("--keep-registered", "0"));
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).isEqualTo("phone-emu: --keep-registered must be more than 0\n");
        Cli.Result off = Cli.run(fleet("--no-register", "--keep-registered", "5m"));
        assertThat(off.code()).isEqualTo(2);
        assertThat(off.err()).contains("--keep-registered needs the phones to register: it does not go with --no-register");
        Cli.Result tftp = Cli.run("fleet", "--tftp", "127.0.0.1:1", "--phones", "2", "--keep-registered", "5m");
        assertThat(tftp.code()).isEqualTo(2);
        assertThat(tftp.err()).contains("add --register (off by default with --tftp)");
        Cli.Result bad = Cli.run(fleet("--keep-registered", "soon"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--keep-registered takes a duration like 301s, 5m or 24h, not 'soon'");
    }
}
