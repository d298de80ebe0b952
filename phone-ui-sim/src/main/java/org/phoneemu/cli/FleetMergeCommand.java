package org.phoneemu.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.phoneemu.fleet.FleetReport;
import org.phoneemu.fleet.ReportFolder;
import org.phoneemu.fleet.Verdict;
import org.phoneemu.fleet.shard.ShardMerge;
import org.phoneemu.fleet.shard.ShardReportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merges the --report directories of the shards of one fleet run (fleet --shard-count N) into one report,",
                "as if one process had run the whole fleet: phones.csv rows, verdict counts, latency histograms added exactly,",
                "JUnit test cases. Refuses parts of different runs and a shard missing or given twice.",
                "Exit 0 when every phone ended as the run expected, 1 when some did not, 2 when the parts cannot be merged,",
                "4 when a shard was stopped early (its unfinished phones are marked in the merged report)."})
final class FleetMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "a shard's report directory (every shard of the run, once)")
    List<Path> dirs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "write the merged phones.csv, summary.json, latency.hlog, junit.xml here")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        ReportFolder.problem(out).ifPresent(p -> {
            throw new UserError(PhoneEmu.BAD_INPUT, "fleet merge: --out " + p);
        });
        ShardMerge.Merged m;
        try {
            m = ShardMerge.merge(dirs, out);
        } catch (ShardReportException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "fleet merge: " + e.getMessage());
        }
        w.println(String.format(Locale.ROOT, "Merged %d shard(s) of run %s: %d phones.", m.shards(), m.runId(), m.phones()));
        w.println();
        w.println(String.format(Locale.ROOT, "%-16s %8s", "VERDICT", "PHONES"));
        m.verdicts().forEach((v, n) -> w.println(String.format(Locale.ROOT, "%-16s %8d", v.word(), n)));
        w.println();
        w.println(String.format(Locale.ROOT, "%-34s %8s %9s %9s %9s %9s", "LATENCY (ms)", "COUNT", "P50", "P90", "P99", "MAX"));
        m.latencies().forEach((phase, h) -> {
            if (h.getTotalCount() > 0) {
                w.println(String.format(Locale.ROOT, "%-34s %8d %9.2f %9.2f %9.2f %9.2f", phase.label(), h.getTotalCount(), ms(h, 50),
                        ms(h, 90), ms(h, 99), h.getMaxValue() / 1000.0));
            }
        });
        w.println();
        w.println("Report: " + out.resolve(FleetReport.PHONES_CSV) + ", " + FleetReport.SUMMARY_JSON + ", " + FleetReport.LATENCY_HLOG
                + ", " + FleetReport.JUNIT_XML);
        Verdict expected = m.expected();
        w.println(m.allAsExpected() ? "Every phone ended " + expected.word() + "."
                : m.verdicts().getOrDefault(expected, 0) + " of " + m.phones() + " phones ended " + expected.word() + ".");
        w.flush();
        if (m.unfinished() > 0) {
            spec.commandLine().getErr().println(String.format(Locale.ROOT,
                    "phone-emu: fleet merge: %d of %d phones did not finish (%d interrupted, %d not booted): a shard was stopped early",
                    m.unfinished(), m.phones(), m.verdicts().getOrDefault(Verdict.INTERRUPTED, 0), m.verdicts().getOrDefault(Verdict.NOT_BOOTED, 0)));
            spec.commandLine().getErr().flush();
            return PhoneEmu.STOPPED;
        }
        return m.allAsExpected() ? 0 : PhoneEmu.REFUSED;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
