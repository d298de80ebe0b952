package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.tftp.testing.LossyUdpRelay;
import org.phoneemu.tftp.testing.TftpdHpa;
import org.w3c.dom.Document;

/**
 * {@code ./phone-emu fleet} against real loopback peers: the built-in cluster (--sim), tftpd-hpa serving what
 * {@code cucm files} exported, the same through a relay losing 20 % of the packets, and bad input.
 */
class FleetCommandTest {
    private static final Path REPO = org.phoneemu.core.testing.Vectors.root().getParent();

    @TempDir
    Path tmp;

    @Test
    void aFleetAgainstTheSimulatedClusterIsTrustedAndItsReportFilesParse() throws Exception {
        Path report = tmp.resolve("report");
        Cli.Result r = Cli.run("fleet", "--sim", REPO.resolve("config/clusters/lab.yaml").toString(), "--phones", "300",
                "--reboots", "1", "--flash", "memory", "--report", report.toString(), "--work", tmp.resolve("work").toString(),
                "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("crypto: ", "first boot: 300 boots", "reboot 1: 300 boots", "Every phone ended trusted.",
                "whole boot", "tftp CTL+ITL");
        assertThat(r.err()).isEmpty();

        List<Map<String, String>> rows = csv(report.resolve("phones.csv"));
        assertThat(rows).hasSize(300);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("verdict")).isEqualTo("trusted");
            assertThat(row.get("trust_state")).isEqualTo("ITL_ONLY");
            assertThat(row.get("itl_md5")).matches("[0-9a-f]{32}");
            assertThat(row.get("itl_signer")).startsWith("CN=cucmpub.lab.example");
            assertThat(row.get("last_status")).isEqualTo("Trust List Updated");
            assertThat(row.get("error")).isEmpty();
        });
        assertThat(rows.get(0).get("mac")).isEqualTo("00AB00000000");
        assertThat(rows.stream().map(m -> m.get("mac")).distinct()).hasSize(300);

        JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        assertThat(summary.get("phones").asInt()).isEqualTo(300);
        assertThat(summary.get("allAsExpected").asBoolean()).isTrue();
        assertThat(summary.get("verdicts").get("trusted").asInt()).isEqualTo(300);
        assertThat(summary.get("rounds")).hasSize(2);
        assertThat(summary.get("latencyMs").get("boot").get("count").asInt()).isEqualTo(600);

        Map<String, Long> counts = hlogCounts(report.resolve("latency.hlog"));
        assertThat(counts.get("boot")).isEqualTo(600);
        assertThat(counts.get("tftp_trust_lists")).isEqualTo(600);
        assertThat(counts).containsKeys("tftp_config", "verify");

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.resolve("junit.xml").toFile());
        assertThat(junit.getDocumentElement().getAttribute("tests")).isEqualTo("300");
        assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("0");
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(300);
    }

    @Test
    void phonesCsvSaysWhatEachConfigCameOver() throws Exception {
        // A cluster serving HTTPS 6971: 8845s take their configuration there, 7970s over TFTP; a cluster without it (its
        // ITL is not version 1.1): 8845s over HTTP 6970.
        String https = REPO.resolve("config/scenarios/clusters/https-provisioning.yaml").toString();
        String plain = REPO.resolve("config/scenarios/clusters/one-node.yaml").toString();
        for (String[] run : new String[][] {{https, "8845", "https6971"}, {https, "7970", "tftp"}, {plain, "8845", "http6970"}}) {
            String name = run[2];
            Path report = tmp.resolve("report-" + name);
            Cli.Result r = Cli.run("fleet", "--sim", run[0], "--phones", "3", "--model", run[1], "--no-register",
                    "--flash", "memory", "--report", report.toString(), "--work", tmp.resolve("work-" + name).toString(),
                    "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(csv(report.resolve("phones.csv"))).hasSize(3).allSatisfy(row -> {
                assertThat(row.get("transport")).as(run[1] + " " + name).isEqualTo(name);
                assertThat(row.get("fallback")).isEmpty();
            });
        }
    }

    @Test
    void withTheSimulatedClusterThePhonesRegisterOverTlsAndTheReportHasTheVerdictAndTheHistogram() throws Exception {
        // Every phone Authenticated (config/clusters/sip-bench.yaml): TLS to the publisher's registrar with its MIC.
        Path report = tmp.resolve("report");
        Cli.Result r = Cli.run("fleet", "--sim", REPO.resolve("config/clusters/sip-bench.yaml").toString(), "--phones", "30",
                "--reboots", "1", "--flash", "memory", "--report", report.toString(), "--work", tmp.resolve("work").toString(),
                "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("REGISTRATION", "sip registration").containsPattern("registered +30 +registered to cucmpub");

        List<Map<String, String>> rows = csv(report.resolve("phones.csv"));
        assertThat(rows).hasSize(30).allSatisfy(row -> {
            assertThat(row.get("registration")).isEqualTo("registered");
            assertThat(row.get("registration_detail")).startsWith("registered to cucmpub.lab.example over TLS");
        });
        JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        assertThat(summary.get("registrations").get("registered").asInt()).isEqualTo(30);
        assertThat(summary.get("latencyMs").get("registration").get("count").asInt()).isEqualTo(60);
        assertThat(summary.get("latencyMs").get("registration").get("p50").asDouble()).isPositive();
        assertThat(hlogCounts(report.resolve("latency.hlog")).get("registration")).isEqualTo(60);

        // --no-register: the phones stop after the config, nothing registered, no registration histogram.
        Path off = tmp.resolve("off");
        Cli.Result o = Cli.run("fleet", "--sim", REPO.resolve("config/clusters/sip-bench.yaml").toString(), "--phones", "3",
                "--no-register", "--flash", "memory", "--report", off.toString(), "--work", tmp.resolve("work-off").toString(),
                "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).doesNotContain("REGISTRATION", "sip registration");
        assertThat(csv(off.resolve("phones.csv"))).allSatisfy(row -> assertThat(row.get("registration")).isEqualTo("-"));
        assertThat(hlogCounts(off.resolve("latency.hlog"))).doesNotContainKey("registration");
    }

    @Test
    void aThousandPhonesFromADevicesFileAgainstTftpdHpaServingCucmFiles() throws Exception {
        Path files = exportedFiles();
        Path devices = tmp.resolve("devices.csv");
        List<String> lines = new ArrayList<>(List.of("# the cluster's configured phones, then phones it does not know", "mac,model",
                "001122334455,7970", "001122334466,8841"));
        for (int i = 0; i < 998; i++) {
            lines.add(String.format(Locale.ROOT, "00CC%08X,7970", i));
        }
        Files.write(devices, lines);
        Path report = tmp.resolve("report");
        try (TftpdHpa tftpd = TftpdHpa.startOrSkip(files.resolve("cucmpub"))) {
            // tftpd-hpa forks a process per transfer; with 64 phones at once on a busy machine (another build, stress-ng
            // --cpu 2) those processes starve and the phones' 5 x 1 s retransmissions run out. 8 at once keeps every
            // transfer served on a loaded machine; this test is about the devices file and the verdicts, not speed.
            Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.1:" + tftpd.address().getPort(), "--devices", devices.toString(),
                    "--max-concurrent", "8", "--flash", "memory", "--report", report.toString(),
                    "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Every phone ended trusted.");
        }
        List<Map<String, String>> rows = csv(report.resolve("phones.csv"));
        assertThat(rows).hasSize(1000);
        Map<String, String> configOf = new HashMap<>();
        rows.forEach(row -> configOf.put(row.get("mac"), row.get("config_file")));
        assertThat(configOf.get("001122334455")).startsWith("SEP001122334455.cnf.xml");
        assertThat(configOf.get("001122334466")).startsWith("SEP001122334466.cnf.xml");
        // Phones the cluster does not know take its signed default config, verified like their own.
        assertThat(configOf.get("00CC00000000")).startsWith("XMLDefault.cnf.xml.sgn (signed by CCM+TFTP of the ITL)");
        assertThat(rows.stream().filter(row -> row.get("config_file").startsWith("XMLDefault.cnf.xml.sgn"))).hasSize(998);
        Set<String> md5 = new HashSet<>();
        rows.forEach(row -> md5.add(row.get("itl_md5")));
        assertThat(md5).hasSize(1);
    }

    @Test
    void withATwentyPercentPacketLossEveryPhoneIsTrustedOrHasAnErrorInItsRow() throws Exception {
        Path files = exportedFiles();
        Path report = tmp.resolve("report");
        try (TftpdHpa tftpd = TftpdHpa.startOrSkip(files.resolve("cucmpub"));
             LossyUdpRelay relay = new LossyUdpRelay(tftpd.address(), 20261126L, 0.20, 0, 0).start()) {
            Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.1:" + relay.address().getPort(), "--phones", "40",
                    "--mac-base", "00CC00000000", "--flash", "memory", "--report", report.toString(),
                    "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");
            assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
            assertThat(r.out()).contains("VERDICT", "whole boot").doesNotContain("Exception");
            assertThat(relay.dropped.get()).isPositive();
        }
        List<Map<String, String>> rows = csv(report.resolve("phones.csv"));
        assertThat(rows).hasSize(40);
        assertThat(rows).allSatisfy(row -> assertThat(row.get("verdict").equals("trusted") || !row.get("error").isEmpty())
                .as(row.toString()).isTrue());
    }

    @Test
    void aMalformedDevicesLineNamesItsLineNumber() throws Exception {
        Path devices = tmp.resolve("devices.csv");
        Files.writeString(devices, "mac,model\n001122334455,7970\n0011223344ZZ,7970\n");
        Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.1:9", "--devices", devices.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("line 3", "'0011223344ZZ' is not a MAC").doesNotContain("\n");
    }

    @Test
    void anUnreachableClusterEndsWithExitTwoAndOneLine() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.1:" + port, "--phones", "1000", "--flash", "memory",
                "--key-pool", tmp.resolve("keys").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("phone-emu: no TFTP server answered: [127.0.0.1:" + port + "]").doesNotContain("\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aClusterRefusingEveryPhoneGivesExitOneAndTheTable() throws Exception {
        Path files = exportedFiles();
        // Every signed file served with a damaged last byte: no signature verifies.
        try (Stream<Path> served = Files.list(files.resolve("cucmpub"))) {
            for (Path f : served.filter(p -> p.toString().endsWith(".tlv") || p.toString().endsWith(".sgn")).toList()) {
                byte[] b = Files.readAllBytes(f);
                b[b.length - 1] ^= 0x55;
                Files.write(f, b);
            }
        }
        Path report = tmp.resolve("report");
        try (TftpdHpa tftpd = TftpdHpa.startOrSkip(files.resolve("cucmpub"))) {
            Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.1:" + tftpd.address().getPort(), "--phones", "2",
                    "--mac-base", "001122334455", "--flash", "memory", "--report", report.toString(),
                    "--key-pool", tmp.resolve("keys").toString(), "--progress", "0");
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.out()).contains("VERDICT", "PHONES", "0 of 2 phones ended trusted.").doesNotContain("Exception");
            assertThat(r.err()).isEmpty();
        }
        assertThat(csv(report.resolve("phones.csv"))).allSatisfy(row -> assertThat(row.get("verdict")).isNotEqualTo("trusted"));
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.resolve("junit.xml").toFile());
        assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("2");
    }

    /** {@code cucm files} of the lab cluster, world-readable for tftpd-hpa. */
    private Path exportedFiles() throws IOException {
        Path out = tmp.resolve("files");
        Cli.Result files = Cli.run("cucm", "files", "--cluster", REPO.resolve("config/clusters/lab.yaml").toString(), "--state",
                tmp.resolve("state").toString(), "--out", out.toString());
        assertThat(files.code()).as(files.err()).isZero();
        try (Stream<Path> all = Files.walk(out)) {
            for (Path p : all.toList()) {
                p.toFile().setReadable(true, false);
                if (Files.isDirectory(p)) {
                    p.toFile().setExecutable(true, false);
                }
            }
        }
        return out;
    }

    /** phones.csv as rows of column name to value (its values have no quoted commas in these tests except the signer). */
    private static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cols = splitCsv(line);
            assertThat(cols).as(line).hasSize(header.length);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cols.get(i));
            }
            out.add(row);
        }
        return out;
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static Map<String, Long> hlogCounts(Path hlog) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        try (InputStream in = Files.newInputStream(hlog)) {
            HistogramLogReader reader = new HistogramLogReader(in);
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                counts.merge(h.getTag(), ((org.HdrHistogram.Histogram) h).getTotalCount(), Long::sum);
            }
        }
        return counts;
    }
}
