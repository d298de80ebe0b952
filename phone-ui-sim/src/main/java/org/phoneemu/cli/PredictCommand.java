package org.phoneemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.tac.predict.ChangeStep;
import org.phoneemu.tac.predict.Prediction;
import org.phoneemu.tac.predict.PredictionException;
import org.phoneemu.tac.predict.PredictionReport;
import org.phoneemu.tac.predict.Predictor;
import org.phoneemu.tac.predict.RebootPolicy;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.DevicesCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict what a planned change does to the phones, before it is run.",
                "The change (CUCM CLI words, in order) is applied to a copy of the simulated",
                "cluster's state; after each step the phones' own trust rules decide on what",
                "the cluster would serve. Nothing is sent anywhere.",
                "Options are read in order: --node sets the node of the --change options",
                "after it; --wait is a step. Example:",
                "  predict --cluster config/clusters/lab.yaml",
                "    --change \"set cert regen CallManager\" --wait 301s",
                "    --change \"set cert regen TVS\"",
                "The phones' side are steps too: \"reboot phones\", \"press directories\",",
                "\"erase trust list\", \"factory reset\" (optionally for one phone: SEP<MAC>)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every phone stays trusted through the whole change",
                "1:some phones would end locked (or refuse their config, or be refused their directory)",
                "2:bad input or cluster unreachable"})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", paramLabel = "FILE", required = true, description = "the simulated cluster: its cluster file")
    Path clusterFile;

    @Option(names = "--state", paramLabel = "DIR", description = "its saved state (default: .phone-emu/cluster-<name>); only read")
    Path state;

    @Option(names = "--flash-root", paramLabel = "DIR",
            description = "the phones' trust: the flash folders (SEP<MAC>) of a fleet or lab work directory (default: every device of the cluster file holds what the cluster serves now)")
    Path flashRoot;

    @Option(names = "--devices", paramLabel = "devices.csv",
            description = "without --flash-root: the phones, MAC[,model] per line (default: every device of the cluster file)")
    Path devices;

    @Option(names = "--reboots", paramLabel = "WHEN", defaultValue = "cluster",
            description = "when phones reboot during the change: cluster (when CUCM resets them, as after a CallManager or TVS regeneration) or explicit (only at --change \"reboot phones\"); always once after the change (default: ${DEFAULT-VALUE})")
    String reboots;

    @Option(names = "--no-reorder", description = "do not look for an order of the steps that keeps every phone trusted")
    boolean noReorder;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the prediction as JSON")
    Path json;

    private final List<ChangeStep> steps = new ArrayList<>();
    private Optional<String> node = Optional.empty();

    @Option(names = "--change", paramLabel = "COMMAND", required = true,
            description = "a CUCM CLI command (\"set cert regen CallManager\", \"utils itl reset localkey\", \"[node:] command\"), or the phones' side:"
                    + " \"reboot phones\", \"press directories\" (or services), \"erase trust list\" (the ITL; \"erase ctl\"), \"factory reset\","
                    + " each for every phone or one (\"reboot SEP001122334455\"); repeat, in order")
    void change(List<String> values) {
        if (values.isEmpty()) {
            return; // picocli's initial call
        }
        // picocli passes the list so far: take the newest value, keeping the command line's order with --wait.
        steps.add(ChangeStep.parse(values.get(values.size() - 1), node));
    }

    @Option(names = "--wait", paramLabel = "DURATION", description = "time passes before the next step (e.g. 301s for the 5-minute hold timer)")
    void waitStep(List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        steps.add(new ChangeStep.Wait(Durations.parse(values.get(values.size() - 1), "--wait")));
    }

    @Option(names = "--node", paramLabel = "NODE", description = "the node of the --change options that follow (default: the publisher)")
    void node(List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        node = Optional.of(values.get(values.size() - 1));
    }

    private List<Device> devices() {
        if (devices == null) {
            return List.of();
        }
        try {
            return DevicesCsv.read(devices);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, devices + ": no such file");
        } catch (IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(clusterFile)) {
            throw new UserError(PhoneEmu.BAD_INPUT, clusterFile + ": no such file");
        }
        RebootPolicy policy = switch (reboots) {
            case "cluster" -> RebootPolicy.CLUSTER_RESETS;
            case "explicit" -> RebootPolicy.EXPLICIT;
            default -> throw new UserError(PhoneEmu.BAD_INPUT, "--reboots takes cluster or explicit, not '" + reboots + "'");
        };
        Path stateDir = state != null ? state : ClusterCopy.defaultStateDirectory(clusterFile);
        Prediction p;
        try {
            p = Predictor.predict(new Predictor.Input(clusterFile, stateDir, Instant.now(), Optional.ofNullable(flashRoot), devices(), steps, policy, !noReorder));
        } catch (ClusterSpecException | PredictionException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PredictionReport.print(p, out);
        if (json != null) {
            try {
                PredictionReport.writeJson(p, json);
            } catch (IOException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "cannot write " + json + ": " + e.getMessage());
            }
            out.println("Prediction written to " + json);
        }
        out.flush();
        return p.exitCode();
    }
}
