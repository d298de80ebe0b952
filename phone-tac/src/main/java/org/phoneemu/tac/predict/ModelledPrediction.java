package org.phoneemu.tac.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.tac.audit.FlashFolders;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.internal.model.ClusterModel;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.InstalledLists;
import org.phoneemu.tac.internal.model.ModelCheck;
import org.phoneemu.tac.internal.model.ModelException;
import org.phoneemu.tac.served.ServedCluster;

/**
 * A prediction for a live cluster, known only by the files it serves over TFTP: a {@link ClusterModel} of those
 * files becomes a simulated cluster with keys of its own, the model is checked against the served files (any
 * difference is a warning), and the change is predicted on it exactly as for a cluster file. The phones hold what
 * the live cluster serves now: the devices read, or the flash folders whose lists equal what is served.
 */
public final class ModelledPrediction {
    private ModelledPrediction() {
    }

    /**
     * @param live      what the live cluster serves, read for the phones to predict for
     * @param flashRoot a fleet's flash folders; empty: the devices of {@code live}
     * @param saveModel where to keep the model's cluster file (to inspect it, or rerun with {@code --cluster})
     */
    public record Input(ServedCluster live, Instant start, Optional<Path> flashRoot, List<ChangeStep> steps, RebootPolicy reboots,
                        boolean searchOrders, Optional<Path> saveModel) {
        public Input {
            steps = List.copyOf(steps);
        }
    }

    public static Prediction predict(Input in) throws IOException, PredictionException {
        ClusterModel model;
        try {
            model = ClusterModel.of(in.live());
        } catch (ModelException e) {
            throw new PredictionException(e.getMessage());
        }
        List<String> warnings = new ArrayList<>();
        List<Device> devices = phones(in, warnings);
        Path work = Files.createTempDirectory("phone-emu-model");
        try {
            Path file = work.resolve("model.yaml");
            Files.writeString(file, model.yaml());
            if (in.saveModel().isPresent()) {
                Files.writeString(in.saveModel().get(), model.yaml());
            }
            Path state = work.resolve("state");
            Prediction p;
            try {
                realise(model, in.live(), in.start(), file, state, warnings)
                        .forEach(d -> warnings.add("model differs from the served files: " + d));
                model.notes().forEach(n -> warnings.add("model: " + n));
                p = Predictor.predict(new Predictor.Input(file, state, in.start(), Optional.empty(), devices, in.steps(), in.reboots(),
                        in.searchOrders()));
                warnings.addAll(p.warnings());
            } catch (ClusterSpecException e) {
                // The model is made here, not by the user: a model that does not load is this tool's limit, said as such.
                throw new PredictionException("the model of the served files does not load (" + e.getMessage().replace(file.toString(), "model")
                        + "); --save-model FILE keeps it to look at");
            }
            String label = "model of " + in.live().label() + " (the served files' nodes, records, names and groups, with keys of its own;"
                    + " hold timer taken as not running)";
            return new Prediction(label, p.reboots(), p.before(), p.steps(), p.after(), warnings, p.saferOrder(), p.saferOrderNote());
        } finally {
            ClusterCopy.deleteDirectory(work);
        }
    }

    /**
     * Makes the model's cluster state in {@code state} from its cluster file, in the state the served files show (an
     * ITL signed by the ITLRecovery key is reached with {@code utils itl reset localkey}), and returns how what it
     * serves differs from what was read ({@link ModelCheck}); an empty list when the shapes agree.
     */
    static List<String> realise(ClusterModel model, ServedCluster live, Instant start, Path file, Path state, List<String> warnings)
            throws IOException, ClusterSpecException {
        try (Cluster c = Cluster.builder().config(file).stateDirectory(state).clock(new VirtualClock(start)).mirrorFiles(false).build()) {
            if (model.itlSignedByRecovery()) {
                // The live ITL is signed by the ITLRecovery key: the model gets there the way the cluster did.
                AdminShell.Result r = new AdminShell(c, model.publisher()).run("utils itl reset localkey");
                if (r.refused()) {
                    warnings.add("model: the served ITL is signed by the ITLRecovery key, but utils itl reset localkey was refused on the model: "
                            + r.reason());
                }
            }
        }
        try (ClusterCopy copy = ClusterCopy.open(file, state, new VirtualClock(start))) {
            return ModelCheck.differences(live, copy.served(live.devices()));
        }
    }

    /** The phones: each device read, or each flash folder that holds what the cluster serves it now. */
    private static List<Device> phones(Input in, List<String> warnings) throws IOException, PredictionException {
        if (in.flashRoot().isEmpty()) {
            if (in.live().devices().isEmpty()) {
                throw new PredictionException("a live cluster has no list of phones to read: give --devices devices.csv or --flash-root DIR");
            }
            return in.live().devices();
        }
        Path root = in.flashRoot().get();
        List<Device> out = new ArrayList<>();
        List<String> other = new ArrayList<>();
        List<FlashFolders.Found> found;
        try {
            found = FlashFolders.phones(root, in.live().devices());
        } catch (IOException e) {
            throw new PredictionException(e.getMessage());
        }
        for (FlashFolders.Found f : found) {
            Device d = f.device();
            InstalledLists held = InstalledLists.onFlash(f.flash());
            if (in.live().servesNow(d.name(), held)) {
                out.add(d);
            } else {
                other.add(d.name() + " (" + held.describe() + ")");
            }
        }
        if (!other.isEmpty()) {
            warnings.add(other.size() + " phone(s) left out: their flash holds other lists than the cluster serves now, and a model of the"
                    + " served files cannot hold those (audit --flash-root names them): " + String.join(", ", other.subList(0, Math.min(5, other.size())))
                    + (other.size() > 5 ? ", …" : ""));
        }
        if (out.isEmpty()) {
            throw new PredictionException(root + ": no flash folder (SEP<MAC>) holds the lists the cluster serves now; nothing to predict from a model");
        }
        return out;
    }
}
