package org.phoneemu.tac.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** What an audit found: a summary of each served trust list, a fleet's flash grouped by installed MD5, the findings. */
public record AuditReport(String cluster, String at, List<ListSummary> trustLists, List<FlashGroup> flash, List<Finding> findings) {
    public AuditReport {
        trustLists = List.copyOf(trustLists);
        flash = List.copyOf(flash);
        findings = findings.stream().sorted(Comparator.comparing(Finding::severity).reversed()).toList();
    }

    /** One served CTL or ITL. */
    public record ListSummary(String file, String kind, int bytes, String md5, String signer, String signedBy, int records,
                              boolean recoveryRecord, int tvsRecords, String digest) {
    }

    /** Phones holding the same ITL / CTL (MD5s, "none" when absent); {@code differing} of them hold other than what is served. */
    public record FlashGroup(String installedMd5, List<String> phones, int differing) {
    }

    /** True when a finding is at or above {@code threshold}. */
    public boolean failsAt(Severity threshold) {
        return findings.stream().anyMatch(f -> f.severity().compareTo(threshold) >= 0);
    }

    public long count(Severity s) {
        return findings.stream().filter(f -> f.severity() == s).count();
    }

    public void print(PrintWriter out) {
        out.println("Audit of " + cluster + " at " + at);
        out.println();
        out.printf("%-28s %6s  %-32s  %-12s %7s  %-8s %4s  %s%n", "TRUST LIST", "BYTES", "MD5", "SIGNED BY", "RECORDS", "RECOVERY", "TVS", "DIGEST");
        for (ListSummary l : trustLists) {
            out.printf("%-28s %6d  %-32s  %-12s %7d  %-8s %4d  %s%n", l.file(), l.bytes(), l.md5(), l.signedBy(), l.records(),
                    l.recoveryRecord() ? "yes" : "NO", l.tvsRecords(), l.digest());
        }
        if (!flash.isEmpty()) {
            out.println();
            out.printf("%-69s %6s  %s%n", "INSTALLED ITL MD5 / CTL MD5", "PHONES", "DIFFER FROM SERVED");
            for (FlashGroup g : flash) {
                out.printf("%-69s %6d  %d%n", g.installedMd5(), g.phones().size(), g.differing());
            }
        }
        out.println();
        out.printf("%-8s %-32s %-22s %s%n", "SEVERITY", "WHERE", "CHECK", "FINDING");
        for (Finding f : findings) {
            out.printf("%-8s %-32s %-22s %s%n", f.severity().label(), f.where(), f.check(), f.text());
        }
        out.println();
        out.println(findings.size() + " finding(s): " + count(Severity.HIGH) + " high, " + count(Severity.MEDIUM) + " medium, "
                + count(Severity.LOW) + " low, " + count(Severity.INFO) + " info");
        out.flush();
    }

    /** {@code audit.json}: the same content as data ({@code at} is ISO-8601). */
    public void writeJson(Path file) throws IOException {
        // Whole or not at all: a kill mid-write leaves the previous file (or none), never half a report.
        org.phoneemu.core.store.AtomicFiles.write(org.phoneemu.core.store.FileOps.system(), file, mapper().writeValueAsBytes(this));
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
