package org.phoneemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.phoneemu.tac.audit.AuditOptions;
import org.phoneemu.tac.audit.AuditReport;
import org.phoneemu.tac.audit.Auditor;
import org.phoneemu.tac.audit.Severity;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.ServedCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Audit the trust files a cluster serves: ITL/CTL signer and recovery",
                "record, TVS records, digest, certificate validity and key sizes, size",
                "against 64 KB; per device the ITLSEP/CTLSEP files, the config's signer and",
                "plaintext configs; with --flash-root, which phones hold other lists than",
                "the cluster serves; whether phones trust the HTTPS provisioning (6971)",
                "certificate. Read-only: a live cluster only gets TFTP read requests and a",
                "TLS handshake on 6971 (no request sent)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no finding at or above --fail-on", "1:a finding at or above --fail-on", "2:bad input or cluster unreachable"})
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterInput input;

    @Option(names = "--flash-root", paramLabel = "DIR", description = "a fleet's or lab's work directory with per-phone flash folders (SEP<MAC>)")
    Path flashRoot;

    @Option(names = "--days", defaultValue = "90", description = "report certificates expiring within this many days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--fail-on", defaultValue = "high", paramLabel = "SEVERITY",
            description = "exit 1 when a finding is at or above this: info, low, medium, high (default: ${DEFAULT-VALUE})")
    String failOn;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the findings as JSON (nothing is written without it)")
    Path json;

    @Override
    public Integer call() throws IOException {
        input.check();
        if (json != null) {
            UserInput.newFile("--json", json);
        }
        Severity threshold;
        try {
            threshold = Severity.parse(failOn);
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--fail-on: " + e.getMessage());
        }
        if (days < 0) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--days must be 0 or more");
        }
        Clock clock = Clock.systemUTC();
        AuditOptions options = new AuditOptions(clock.instant(), Duration.ofDays(days));
        AuditReport report;
        if (input.clusterFile != null) {
            try (ClusterCopy copy = input.openCopy(clock)) {
                report = audit(copy.served(input.devices()), options);
                if (!copy.hadState()) {
                    spec.commandLine().getErr().println("phone-emu: note: " + input.stateDirectory()
                            + " holds no saved state; the audit used keys generated for this run");
                }
            }
        } else {
            report = audit(input.readTftp(), options);
        }
        PrintWriter out = spec.commandLine().getOut();
        report.print(out);
        if (json != null) {
            try {
                report.writeJson(json);
            } catch (IOException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "cannot write " + json + ": " + e.getMessage());
            }
            out.println("Findings written to " + json);
        }
        out.flush();
        return report.failsAt(threshold) ? PhoneEmu.REFUSED : 0;
    }

    private AuditReport audit(ServedCluster served, AuditOptions options) {
        try {
            return Auditor.audit(served, Optional.ofNullable(flashRoot), options);
        } catch (IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }
}
