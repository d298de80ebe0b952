package org.phoneemu.tac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.phoneemu.tac.PredictProofFixture.STEP_TIMEOUT_SECONDS;
import static org.phoneemu.tac.PredictProofFixture.addresses;
import static org.phoneemu.tac.PredictProofFixture.compareBoot;
import static org.phoneemu.tac.PredictProofFixture.menu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.phoneemu.tac.PredictProofFixture.Before;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.lab.ClusterSet;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Phone;
import org.phoneemu.scenario.Scenario;
import org.phoneemu.tac.predict.ChangeStep;
import org.phoneemu.tac.predict.PhoneOutcome;
import org.phoneemu.tac.predict.Prediction;
import org.phoneemu.tac.predict.PredictionException;
import org.phoneemu.tac.predict.Predictor;
import org.phoneemu.tac.predict.RebootPolicy;
import org.phoneemu.tac.predict.StepResult;

/**
 * The proof of {@code predict} with two clusters, as {@link PredictAgainstLabTest} is for one: for the migration
 * scenarios S19-S25 (unprepared, import by hand, Bulk Certificate Management, B's ITLRecovery missing, rollback, the ITL
 * deleted from the phone's menu, rollback left on), the
 * steps after the first boot are predicted from the lab phones' flash with cluster B as {@code --cluster-b}, then run on
 * the two real simulated clusters with real phones over loopback; at every boot, phone by phone, the verdict, whether a
 * new ITL was installed, whether TVS was asked and what each TVS answered must be what predict said, and CUCM must
 * refuse exactly the admin commands predict said it would.
 */
class PredictMigrationAgainstLabTest {
    static final List<String> COVERED = List.of("s19", "s20", "s21", "s22", "s23", "s24", "s25");

    @RegisterExtension
    static final PredictProofFixture fixture = new PredictProofFixture();

    @TestFactory
    Stream<DynamicTest> predictSaysWhatAMigrationDoesPhoneByPhone() throws Exception {
        return PredictProofFixture.eachScenario(COVERED, this::check);
    }

    private void check(Scenario scenario) throws Exception {
        assertThat(scenario.clusters()).hasSize(2);
        String home = scenario.home();
        String other = scenario.clusters().keySet().stream().filter(n -> !n.equals(home)).findFirst().orElseThrow();
        Path work = Files.createTempDirectory("predict-" + scenario.file().getFileName());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        Cluster cluster = Cluster.builder().config(scenario.cluster()).stateDirectory(work.resolve("cluster"))
                .clock(clock).freshState(true).mirrorFiles(false).build();
        Cluster b = Cluster.builder().config(scenario.clusters().get(other)).stateDirectory(work.resolve("cluster-b"))
                .clock(clock).freshState(true).mirrorFiles(false).build();
        List<String> macs = scenario.phones();
        List<Scenario.Step> steps = scenario.steps().stream().filter(s -> !(s instanceof Scenario.Step.Expect)).toList();
        assertThat(steps.get(0)).as("a migration scenario starts with every phone booting on its home cluster")
                .isEqualTo(new Scenario.Step.Boot(steps.get(0).line(), "all"));
        int boots = 0;
        int moves = 0;
        int admin = 0;
        Files.createDirectories(work.resolve("sftp"));
        try (Lab lab = Lab.start(cluster, macs, work.resolve("phones"), clock, fixture.network(), 1024);
             ClusterSet clusters = ClusterSet.start(lab, home, new LinkedHashMap<>(Map.of(other, b)), work.resolve("sftp"))) {
            bootAll(lab);
            steps = steps.subList(1, steps.size());
            List<ChangeStep> change = steps.stream().map(s -> change(s, home)).toList();
            Prediction p = Predictor.predict(new Predictor.Input(scenario.cluster(), work.resolve("cluster"), clock.instant(),
                    Optional.of(work.resolve("phones")), List.of(), change, RebootPolicy.EXPLICIT, false,
                    Optional.of(new Predictor.SecondCluster(scenario.clusters().get(other), work.resolve("cluster-b")))));
            assertThat(p.steps()).hasSize(change.size());
            boolean everyPhoneRebootedLast = false;
            for (int i = 0; i < change.size(); i++) {
                Scenario.Step s = steps.get(i);
                StepResult predicted = p.steps().get(i);
                String at = scenario.name() + ", step " + (i + 1) + " (" + change.get(i).describe() + ")";
                everyPhoneRebootedLast = false;
                if (s instanceof Scenario.Step.Admin a) {
                    AdminShell.Result done = clusters.run(a.cluster(), a.node(), a.command());
                    assertThat(done.refused()).as(at + ": CUCM refuses it (output: " + done.output().strip() + ")").isEqualTo(predicted.refused());
                    admin++;
                } else if (s instanceof Scenario.Step.Move m) {
                    for (Phone phone : ScenarioSteps.targets(lab, m.target())) {
                        clusters.move(phone, m.to()).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                    moves++;
                } else if (s instanceof Scenario.Step.Clock c) {
                    clock.advance(Duration.ofSeconds(c.seconds()));
                } else if (s instanceof Scenario.Step.Menu m) {
                    List<Phone> at_ = ScenarioSteps.targets(lab, m.target());
                    assertThat(predicted.menus()).as(at + ": phones predicted at the menu").hasSize(at_.size());
                    for (Phone phone : at_) {
                        org.phoneemu.tac.predict.MenuOutcome want = predicted.menus().stream().filter(o -> o.phone().equals(phone.name()))
                                .findFirst().orElseThrow(() -> new AssertionError(at + ": no menu prediction for " + phone.name()));
                        org.phoneemu.core.trust.MenuResult got = menu(phone, m.operation());
                        assertThat(got instanceof org.phoneemu.core.trust.MenuResult.Done).as(at + ", " + phone.name() + ": menu done")
                                .isEqualTo(want.done());
                    }
                } else if (s instanceof Scenario.Step.Boot boot) {
                    assertThat(predicted.phonesRebooted()).isTrue();
                    boots += compareBoots(at, lab, clusters, ScenarioSteps.targets(lab, boot.target()), predicted.phones());
                    everyPhoneRebootedLast = boot.target().equals("all");
                }
            }
            if (!everyPhoneRebootedLast) {
                boots += compareBoots(scenario.name() + ", after the change", lab, clusters, lab.phones(), p.after().phones());
            }
        }
        assertThat(boots).as("boots compared").isPositive();
        assertThat(moves).as("moves made").isPositive();
        if (steps.stream().anyMatch(s -> s instanceof Scenario.Step.Admin)) {
            assertThat(admin).as("admin commands compared").isPositive();
        }
    }

    /** A scenario step as a predict change step: the home cluster is predict's A, the other its B. */
    private static ChangeStep change(Scenario.Step s, String home) {
        if (s instanceof Scenario.Step.Admin a) {
            Optional<String> cluster = a.cluster().isEmpty() || a.cluster().equals(home) ? Optional.empty() : Optional.of("B");
            return new ChangeStep.Admin(cluster, a.node().isEmpty() ? Optional.empty() : Optional.of(a.node()), a.command());
        }
        if (s instanceof Scenario.Step.Move m) {
            return new ChangeStep.Move(m.to().equals(home) ? "A" : "B", ScenarioSteps.phone(m.target()));
        }
        return ScenarioSteps.phoneSide(s).orElseThrow(() -> new IllegalArgumentException("a step this proof does not model: " + s));
    }

    private static int compareBoots(String at, Lab lab, ClusterSet clusters, List<Phone> phones, List<PhoneOutcome> predicted) throws Exception {
        assertThat(predicted).as(at + ": phones predicted to boot").hasSize(phones.size());
        Map<String, Before> before = Before.of(phones);
        Map<String, BootReport> happened = new HashMap<>();
        for (Phone phone : phones) {
            happened.put(phone.name(), phone.boot().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        Map<String, String> address = addresses(clusters.names().stream().map(clusters::cluster).toList());
        for (Phone phone : phones) {
            PhoneOutcome want = predicted.stream().filter(o -> o.phone().equals(phone.name())).findFirst()
                    .orElseThrow(() -> new AssertionError(at + ": no prediction for " + phone.name()));
            BootReport got = happened.get(phone.name());
            compareBoot(at + ", " + phone.name() + ", predicted rule: " + want.rule(), phone, before.get(phone.name()), got, want, address);
        }
        return phones.size();
    }

    private static void bootAll(Lab lab) throws Exception {
        lab.bootAll().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void moveAndClusterBTextsParse() {
        assertThat(ChangeStep.parse("move phones to B", Optional.empty())).isEqualTo(new ChangeStep.Move("B", Optional.empty()));
        assertThat(ChangeStep.parse("move all to b", Optional.empty())).isEqualTo(new ChangeStep.Move("B", Optional.empty()));
        assertThat(ChangeStep.parse("move to cluster A SEP001122334455", Optional.empty()))
                .isEqualTo(new ChangeStep.Move("A", Optional.of("SEP001122334455")));
        assertThat(ChangeStep.parse("B: utils bulkcert export", Optional.of("cucmpub")))
                .isEqualTo(new ChangeStep.Admin(Optional.of("B"), Optional.empty(), "utils bulkcert export"));
        assertThat(ChangeStep.parse("B:newpub: file get cert CallManager", Optional.empty()))
                .isEqualTo(new ChangeStep.Admin(Optional.of("B"), Optional.of("newpub"), "file get cert CallManager"));
        assertThat(ChangeStep.parse("A: set rollback true", Optional.empty()))
                .isEqualTo(new ChangeStep.Admin(Optional.of("A"), Optional.empty(), "set rollback true"));
        // A node's name stays a node's name.
        assertThat(ChangeStep.parse("cucmsub: set cert regen TVS", Optional.empty()))
                .isEqualTo(new ChangeStep.Admin(Optional.empty(), Optional.of("cucmsub"), "set cert regen TVS"));
    }

    @Test
    void aMoveWithoutClusterBIsRefusedInOneLine() throws Exception {
        Path cluster = Vectors.root().getParent().resolve("config").resolve("scenarios").resolve("clusters").resolve("one-node.yaml");
        Path state = Files.createTempDirectory("predict-no-b");
        assertThatThrownBy(() -> Predictor.predict(new Predictor.Input(cluster, state, Instant.parse("2026-01-01T09:00:00Z"), Optional.empty(),
                List.of(), List.of(new ChangeStep.Move("B", Optional.empty())), RebootPolicy.EXPLICIT, false)))
                .isInstanceOf(PredictionException.class).hasMessageContaining("--cluster-b");
    }
}
