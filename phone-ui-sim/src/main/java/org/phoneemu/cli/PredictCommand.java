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
import org.phoneemu.tac.predict.StepResult;
import org.phoneemu.tac.audit.FlashFolders;
import org.phoneemu.tac.predict.ModelledPrediction;
import org.phoneemu.tac.served.ServedCluster;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict what a planned change does to the phones, before it is run.",
                "The change (CUCM CLI words, in order) is applied to a copy of the simulated",
                "cluster's state (--cluster), or to a model of the files a live cluster serves",
                "(--tftp: read-only, TFTP read requests only); after each step the phones' own",
                "trust rules decide on what the cluster would serve. Nothing else is sent anywhere.",
                "Options are read in order: --node sets the node of the --change options",
                "after it; --wait is a step. Example:",
                "  predict --cluster config/clusters/lab.yaml",
                "    --change \"set cert regen CallManager\" --wait 301s",
                "    --change \"set cert regen TVS\"",
                "  predict --tftp 10.1.1.10 --devices devices.csv --change \"set cert regen CallManager\"",
                "The phones' side are steps too: \"reboot phones\", \"press directories\",",
                "\"erase trust list\", \"factory reset\" (optionally for one phone: SEP<MAC>).",
                "A migration: --cluster-b B.yaml, then \"move phones to B\" points the phones at",
                "B's TFTP (DHCP option 150) and \"B: command\" runs a CUCM command on B:",
                "  predict --cluster A.yaml --cluster-b B.yaml --change \"move all to B\""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every phone stays trusted through the whole change",
                "1:some phones would end locked (or refuse their config, or be refused their directory)",
                "2:bad input or cluster unreachable"})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterInput input;

    @Option(names = "--flash-root", paramLabel = "DIR",
            description = "the phones' trust: the flash folders (SEP<MAC>) of a fleet or lab work directory (default: every device of the cluster file, or of --devices, holds what the cluster serves now)")
    Path flashRoot;

    @Option(names = "--save-model", paramLabel = "FILE",
            description = "with --tftp: also write the model of the live cluster as a cluster file (inspect it, or rerun with --cluster)")
    Path saveModel;

    @Option(names = "--reboots", paramLabel = "WHEN", defaultValue = "cluster",
            description = "when phones reboot during the change: cluster (when CUCM resets them, as after a CallManager or TVS regeneration) or explicit (only at --change \"reboot phones\"); always once after the change (default: ${DEFAULT-VALUE})")
    String reboots;

    @Option(names = "--no-reorder", description = "do not look for an order of the steps that keeps every phone trusted")
    boolean noReorder;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the prediction as JSON")
    Path json;

    @Option(names = "--cluster-b", paramLabel = "FILE",
            description = "a second cluster (a migration's destination, its nodes on addresses of their own): --change \"move phones to B\" points the phones at its TFTP servers, \"B: command\" runs a CUCM command on it")
    Path clusterB;

    @Option(names = "--state-b", paramLabel = "DIR", description = "cluster B's saved state (default: the one cucm keeps beside its cluster file)")
    Path stateB;

    /** The phones of the flash folders, with their models from --devices when it names them. */
    private List<Device> flashDevices() {
        try {
            return FlashFolders.phones(flashRoot, input.devices()).stream().map(FlashFolders.Found::device).toList();
        } catch (IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }

    private final List<ChangeStep> steps = new ArrayList<>();
    private Optional<String> node = Optional.empty();

    @Option(names = "--change", paramLabel = "COMMAND", required = true,
            description = "a CUCM CLI command (\"set cert regen CallManager\", \"utils itl reset localkey\", \"[node:] command\"), or the phones' side:"
                    + " \"reboot phones\", \"press directories\" (or services), \"erase trust list\" (the ITL; \"erase ctl\"), \"factory reset\","
                    + " each for every phone or one (\"reboot SEP001122334455\"); with --cluster-b, \"move phones to B\" (or A) and \"B: command\"; repeat, in order")
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

    @Option(names = "--progress", description = "print where a long prediction is on stderr every 2 s, one line each "
            + "(on a terminal it is shown anyway, on one line that is erased at the end)")
    boolean progressLines;

    /** How often a long prediction says where it is on stderr. */
    static final long PROGRESS_SECONDS = 2;

    @Override
    public Integer call() throws IOException {
        input.check();
        RebootPolicy policy = rebootPolicy();
        checkOptions();
        Prediction p;
        org.phoneemu.tac.predict.Progress progress = new org.phoneemu.tac.predict.Progress();
        java.util.concurrent.atomic.AtomicBoolean predicting = new java.util.concurrent.atomic.AtomicBoolean();
        try (ProgressLine line = new ProgressLine("predict", () -> predicting.get() ? progress.describe() : "reading the inputs",
                spec.commandLine().getErr(), PROGRESS_SECONDS, progressLines)) {
            p = input.clusterFile != null ? fromClusterFile(policy, progress, predicting) : fromLiveCluster(policy);
        } catch (ClusterSpecException | PredictionException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
        render(p);
        return p.exitCode();
    }

    private RebootPolicy rebootPolicy() {
        return switch (reboots) {
            case "cluster" -> RebootPolicy.CLUSTER_RESETS;
            case "explicit" -> RebootPolicy.EXPLICIT;
            default -> throw new UserError(PhoneEmu.BAD_INPUT, "--reboots takes cluster or explicit, not '" + reboots + "'");
        };
    }

    private void checkOptions() {
        if (json != null) {
            UserInput.newFile("--json", json);
        }
        if (saveModel != null && input.clusterFile != null) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--save-model goes with --tftp: a cluster file is its own model");
        }
        if (clusterB != null && input.clusterFile == null) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--cluster-b goes with --cluster: a model of a live cluster has no second cluster");
        }
    }

    private Prediction fromClusterFile(RebootPolicy policy, org.phoneemu.tac.predict.Progress progress,
                                       java.util.concurrent.atomic.AtomicBoolean predicting)
            throws IOException, ClusterSpecException, PredictionException {
        Optional<Predictor.SecondCluster> b = Optional.ofNullable(clusterB).map(f -> new Predictor.SecondCluster(f,
                stateB != null ? stateB : ClusterCopy.defaultStateDirectory(f)));
        if (b.isPresent() && !Files.isRegularFile(clusterB)) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--cluster-b: no file " + clusterB);
        }
        Predictor.Input in = new Predictor.Input(input.clusterFile, input.stateDirectory(), Instant.now(), Optional.ofNullable(flashRoot),
                input.devices(), steps, policy, !noReorder, b);
        predicting.set(true);
        return Predictor.predict(in, progress);
    }

    /** A live cluster is read for the phones of --devices, or for those of the flash folders. */
    private Prediction fromLiveCluster(RebootPolicy policy) throws IOException, PredictionException {
        ServedCluster live = input.readTftp(flashRoot == null ? input.devices() : flashDevices());
        return ModelledPrediction.predict(new ModelledPrediction.Input(live, Instant.now(), Optional.ofNullable(flashRoot), steps, policy,
                !noReorder, Optional.ofNullable(saveModel)));
    }

    private void render(Prediction p) {
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
        if (!p.refusedSteps().isEmpty()) {
            // A refused step is not a prediction of the plan: an exit code and a line, not only a warning.
            StepResult first = p.refusedSteps().get(0);
            String prefix = "step " + first.number() + " (";
            String reason = p.warnings().stream().filter(w -> w.startsWith(prefix)).findFirst()
                    .orElse(prefix + first.step() + ") is refused by CUCM");
            throw new UserError(PhoneEmu.REFUSED, reason);
        }
    }
}
