package org.phoneemu.tac.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.Device;

/**
 * Phones of the same model that the cluster file does not single out boot the same files through the same rules:
 * predict simulates one of them and counts its outcome for each, so its cost no longer grows with the phones (1,000
 * phones took 156 s). Every phone's outcome, at every step, is the one a prediction for that phone alone gives.
 */
class PredictGroupsPhonesTest {
    private static final List<Device> PHONES = Stream.concat(
            Stream.iterate(0, i -> i + 1).limit(8).map(i -> new Device(String.format("0011220000%02X", i), "7970")),
            Stream.iterate(0, i -> i + 1).limit(4).map(i -> new Device(String.format("0011230000%02X", i), "8851"))).toList();

    @Test
    void phonesThatEndTheSameWayAreSimulatedOnceAndEachGetsTheOutcomeOfItsOwnPrediction(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        try (ClusterCopy c = ClusterCopy.open(PredictIgnoresConsoleWordingTest.TWO_NODE, tmp.resolve("none"),
                new VirtualClock(PredictIgnoresConsoleWordingTest.START))) {
            ClusterCopy.copyDirectory(c.stateDirectory(), state);
        }
        List<ChangeStep> change = PredictIgnoresConsoleWordingTest.change();
        Progress all = new Progress();
        Prediction grouped = Predictor.predict(input(state, PHONES, change), all);
        Progress one = new Progress();
        Prediction alone7970 = Predictor.predict(input(state, List.of(PHONES.get(0)), change), one);
        Prediction alone8851 = Predictor.predict(input(state, List.of(PHONES.get(8)), change), new Progress());

        // Two models: twice the boots of one phone, not twelve times.
        assertThat(all.simulatedBoots()).isEqualTo(2 * one.simulatedBoots());
        assertThat(all.describe()).contains("12 phones (2 simulated");
        List<StepResult> g = results(grouped);
        List<StepResult> a = results(alone7970);
        List<StepResult> b = results(alone8851);
        for (int i = 0; i < g.size(); i++) {
            assertThat(g.get(i).phones()).extracting(PhoneOutcome::phone).containsExactlyInAnyOrderElementsOf(
                    g.get(i).phones().isEmpty() ? List.of() : PHONES.stream().map(d -> "SEP" + d.mac()).toList());
            assertThat(g.get(i).presses()).hasSize(a.get(i).presses().isEmpty() ? 0 : PHONES.size());
            for (PhoneOutcome o : g.get(i).phones()) {
                PhoneOutcome own = (o.phone().startsWith("SEP001123") ? b : a).get(i).phones().get(0);
                assertThat(masked(o.as("P"))).isEqualTo(masked(own.as("P")));
            }
            for (PressOutcome o : g.get(i).presses()) {
                PressOutcome own = (o.phone().startsWith("SEP001123") ? b : a).get(i).presses().get(0);
                assertThat(masked(o.as("P"))).isEqualTo(masked(own.as("P")));
            }
        }
        // The change reaches a lock, so the grouped outcomes are not all one trivial answer.
        assertThat(grouped.after().phones()).hasSize(PHONES.size()).allSatisfy(p -> assertThat(p.verdict()).isEqualTo(Verdict.LOCKED));
    }

    private static Predictor.Input input(Path state, List<Device> devices, List<ChangeStep> change) {
        return new Predictor.Input(PredictIgnoresConsoleWordingTest.TWO_NODE, state, PredictIgnoresConsoleWordingTest.START,
                Optional.empty(), devices, change, RebootPolicy.EXPLICIT, false);
    }

    private static List<StepResult> results(Prediction p) {
        List<StepResult> out = new ArrayList<>();
        out.add(p.before());
        out.addAll(p.steps());
        out.add(p.after());
        return out;
    }

    /** Each run's regenerations make new keys: their digests and serials differ from run to run. */
    private static String masked(Object o) {
        return o.toString().replaceAll("\\b[0-9a-f]{32}\\b", "<MD5>").replaceAll("\\b[0-9A-F]{2}(:[0-9A-F]{2}){7,}\\b", "<serial>");
    }
}
