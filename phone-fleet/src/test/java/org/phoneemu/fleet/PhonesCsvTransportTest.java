package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.ConfigStep;
import org.phoneemu.tftp.boot.BootDownloader.FailedAttempt;
import org.phoneemu.tftp.boot.Transport;

/**
 * phones.csv says what each phone's configuration came over ({@code transport}) and what failed before it
 * ({@code fallback}), from the boot report's values (docs/PROTOCOLS.md §4).
 */
class PhonesCsvTransportTest {
    private static BootReport report(String mac, BootReport.Fetched... files) {
        String config = "SEP" + mac + ".cnf.xml.sgn";
        return new BootReport(mac, TrustState.ITL_ONLY, Optional.of("CN=cucmpub"), Optional.of("aa"), Optional.empty(), false, true,
                Optional.of(config + " (signed)"), Optional.empty(), Optional.empty(), List.of(),
                Optional.of(new ConfigStep.Applied(config + " (signed)", 1)), List.of(files));
    }

    @Test
    void eachRowSaysWhatTheConfigCameOverAndWhatFailedBefore(@TempDir Path tmp) throws Exception {
        List<PhoneResult> rows = List.of(
                PhoneResult.done(new Device("001122000001", "8845"), report("001122000001",
                        new BootReport.Fetched("ITLSEP001122000001.tlv", Transport.HTTP),
                        new BootReport.Fetched("SEP001122000001.cnf.xml.sgn", Transport.HTTPS)), 10, 1),
                PhoneResult.done(new Device("001122000002", "8845"), report("001122000002",
                        new BootReport.Fetched("SEP001122000002.cnf.xml.sgn", Transport.HTTP, List.of(
                                new FailedAttempt(Transport.HTTPS, "server certificate not trusted: no TVS server, yet", true)))), 10, 1),
                PhoneResult.done(new Device("001122000003", "8845"), report("001122000003",
                        new BootReport.Fetched("SEP001122000003.cnf.xml.sgn", Transport.TFTP, List.of(
                                new FailedAttempt(Transport.HTTPS, "connection refused"), new FailedAttempt(Transport.HTTP, "HTTP status 500")))), 10, 1),
                PhoneResult.done(new Device("001122000004", "7970"), report("001122000004",
                        new BootReport.Fetched("SEP001122000004.cnf.xml.sgn", Transport.TFTP)), 10, 1),
                PhoneResult.failed(new Device("001122000005", "8845"), "boot timed out", 10, 1));
        new FleetReport(rows, List.of(), new Latencies(0), Verdict.TRUSTED, Map.of()).write(tmp);

        List<Map<String, String>> csv = read(tmp.resolve(FleetReport.PHONES_CSV));
        assertThat(csv).extracting(r -> r.get("transport")).containsExactly("https6971", "http6970", "tftp", "tftp", "");
        assertThat(csv).extracting(r -> r.get("fallback")).containsExactly("",
                "https: server certificate not trusted: no TVS server, yet",
                "https: connection refused; http: HTTP status 500", "", "");
    }

    /** One line as the fleet writes it: commas; a field with a comma or quote in double quotes. */
    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }

    private static List<Map<String, String>> read(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<String> header = split(lines.get(0));
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = split(line);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), cells.get(i));
            }
            out.add(m);
        }
        return out;
    }
}
