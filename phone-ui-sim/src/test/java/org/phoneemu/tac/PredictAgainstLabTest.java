package org.phoneemu.tac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phoneemu.tac.PredictProofFixture.STEP_TIMEOUT_SECONDS;
import static org.phoneemu.tac.PredictProofFixture.addresses;
import static org.phoneemu.tac.PredictProofFixture.compareBoot;
import static org.phoneemu.tac.PredictProofFixture.menu;
import static org.phoneemu.tac.PredictProofFixture.predictedAnswers;
import static org.phoneemu.tac.PredictProofFixture.tvsAnswers;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.phoneemu.tac.PredictProofFixture.Before;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.trust.MenuResult;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Button;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PressResult;
import org.phoneemu.scenario.Scenario;
import org.phoneemu.tac.predict.ChangeStep;
import org.phoneemu.tac.predict.MenuOutcome;
import org.phoneemu.tac.predict.PhoneOutcome;
import org.phoneemu.tac.predict.Prediction;
import org.phoneemu.tac.predict.PredictionException;
import org.phoneemu.tac.predict.PressOutcome;
import org.phoneemu.tac.predict.PressVerdict;
import org.phoneemu.tac.predict.Predictor;
import org.phoneemu.tac.predict.RebootPolicy;
import org.phoneemu.tac.predict.RegistrationVerdict;
import org.phoneemu.tac.predict.StepResult;
import org.phoneemu.tac.predict.Verdict;
import org.phoneemu.tac.served.Device;

/**
 * The proof of {@code predict}: for every acceptance scenario S1-S17 (S18, CAPF enrolment, is not a change predict
 * models), S28 (registration) and S32 (the 6971 certificate; at each boot also whether the phone refused 6971 and what
 * its config came over instead), the scenario's steps are predicted first (on a copy of the cluster state and of the phones' flash), then
 * the same steps run on the real simulated cluster with real phones over loopback, and at every step the lab runs,
 * phone by phone, what happened must be what predict said: whether CUCM refused an admin command; at a boot the
 * verdict, whether a new ITL was installed, whether TVS was asked and what each TVS answered; at a press the result
 * (shown, "Host Not Found", failed), where the certificate was found trusted, whether TVS was asked and what each TVS
 * answered, and how the phone's registration ended (registered to which CallManager over which transport, refused with
 * which status and reason, or no CallManager reached and whether one presented a certificate the phone's lists do not
 * hold: the offline network's registrar rules against the real registrar over loopback); at a Trust List menu
 * operation whether the phone did it. A scenario that does not end with a reboot of
 * every phone is followed by one, checked against the prediction's "after the change".
 */
class PredictAgainstLabTest {
    static final List<String> COVERED = List.of("s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09", "s10", "s11", "s12",
            "s13", "s14", "s15", "s16", "s17", "s28", "s32");

    @RegisterExtension
    static final PredictProofFixture fixture = new PredictProofFixture();

    @TestFactory
    Stream<DynamicTest> predictSaysWhatThenHappensPhoneByPhone() throws Exception {
        return PredictProofFixture.eachScenario(COVERED, this::check);
    }

    private void check(Scenario scenario) throws Exception {
        Path work = Files.createTempDirectory("predict-" + scenario.file().getFileName());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        Cluster cluster = Cluster.builder().config(scenario.cluster()).stateDirectory(work.resolve("cluster"))
                .clock(clock).freshState(true).mirrorFiles(false).build();
        List<String> macs = scenario.phones().isEmpty() ? cluster.spec().devices().stream().map(d -> d.mac()).toList() : scenario.phones();
        List<Scenario.Step> steps = scenario.steps().stream().filter(s -> !(s instanceof Scenario.Step.Expect)).toList();
        Counts compared = new Counts();
        try (Lab lab = Lab.start(cluster, macs, work.resolve("phones"), clock, fixture.network(), 1024)) {
            if (steps.get(0) instanceof Scenario.Step.Boot b && b.target().equals("all")) {
                firstBootAsServedNow(scenario, lab, macs, work, clock, compared);
                steps = steps.subList(1, steps.size());
            }
            // The rest of the scenario as a change, predicted from the lab phones' flash.
            List<ChangeStep> change = steps.stream().map(PredictAgainstLabTest::change).toList();
            Prediction p = Predictor.predict(new Predictor.Input(scenario.cluster(), work.resolve("cluster"), clock.instant(),
                    Optional.of(work.resolve("phones")), List.of(), change, RebootPolicy.EXPLICIT, false));
            assertThat(p.steps()).hasSize(change.size());
            boolean everyPhoneRebootedLast = false;
            for (int i = 0; i < change.size(); i++) {
                Scenario.Step s = steps.get(i);
                StepResult predicted = p.steps().get(i);
                String at = scenario.name() + ", step " + (i + 1) + " (" + change.get(i).describe() + ")";
                everyPhoneRebootedLast = false;
                if (s instanceof Scenario.Step.Admin a) {
                    AdminShell.Result done = lab.run(a.node(), a.command());
                    assertThat(done.refused()).as(at + ": CUCM refuses it (output: " + done.output().strip() + ")").isEqualTo(predicted.refused());
                    compared.admin++;
                    compared.refused += done.refused() ? 1 : 0;
                } else if (s instanceof Scenario.Step.Clock c) {
                    clock.advance(Duration.ofSeconds(c.seconds()));
                } else if (s instanceof Scenario.Step.Boot b) {
                    assertThat(predicted.phonesRebooted()).isTrue();
                    compareBoots(at, lab, ScenarioSteps.targets(lab, b.target()), predicted.phones(), compared);
                    everyPhoneRebootedLast = b.target().equals("all");
                } else if (s instanceof Scenario.Step.Press press) {
                    comparePresses(at, lab, ScenarioSteps.targets(lab, press.target()), press.button().equals("services") ? Button.SERVICES : Button.DIRECTORIES,
                            predicted.presses(), compared);
                } else if (s instanceof Scenario.Step.Menu m) {
                    compareMenus(at, ScenarioSteps.targets(lab, m.target()), m.operation(), predicted.menus(), compared);
                }
            }
            if (!everyPhoneRebootedLast) {
                compareBoots(scenario.name() + ", after the change", lab, lab.phones(), p.after().phones(), compared);
            }
        }
        assertThat(compared.boots).as("boots compared").isPositive();
        String kinds = steps.stream().map(s -> s.getClass().getSimpleName()).distinct().sorted().toList().toString();
        if (kinds.contains("Press")) {
            assertThat(compared.presses).as("presses compared").isPositive();
        }
        if (kinds.contains("Menu")) {
            assertThat(compared.menus).as("menu operations compared").isPositive();
        }
        if (kinds.contains("Admin")) {
            assertThat(compared.admin).as("admin commands compared").isPositive();
        }
        if (scenario.file().getFileName().toString().startsWith("s28")) {
            // S28's phones register at the first boot, as predicted (the phone whose config is encrypted to its own LSC is
            // left out of "serves now"); their locked boot then registers nowhere, as predicted.
            assertThat(compared.registrations).as("S28: registrations compared").isPositive();
        }
        if (scenario.file().getFileName().toString().startsWith("s32")) {
            // S32's 8845 refuses the new 6971 certificate at the last boot and takes its config over HTTP 6970, as predicted.
            assertThat(compared.provisioningRefusals).as("S32: 6971 refusals compared").isPositive();
        }
        if (scenario.file().getFileName().toString().startsWith("s06")) {
            assertThat(compared.refused).as("S6: the hold timer refuses the TVS regeneration twice, as predicted").isEqualTo(2);
        }
    }

    /** How many of each kind of comparison a scenario made (a proof that compared nothing proves nothing). */
    private static final class Counts {
        int boots;
        int presses;
        int menus;
        int admin;
        int refused;
        int registrations;
        int provisioningRefusals;
    }

    /** The default input: every phone holds what the cluster serves now; its first boot is the scenario's first step. */
    private void firstBootAsServedNow(Scenario scenario, Lab lab, List<String> macs, Path work, VirtualClock clock, Counts compared)
            throws Exception {
        Cluster cluster = lab.cluster();
        List<Device> devices = macs.stream().map(m -> new Device(m, cluster.spec().device(m).map(d -> d.model()).orElse("7970"))).toList();
        Prediction now = null;
        try {
            now = Predictor.predict(new Predictor.Input(scenario.cluster(), work.resolve("cluster"), clock.instant(),
                    Optional.empty(), devices, List.of(), RebootPolicy.EXPLICIT, false));
        } catch (PredictionException e) {
            // S11's phone enrolled over CAPF before its first boot: only its flash holds the key its config is
            // encrypted to, so "serves now" leaves it out and says why.
            assertThat(e.getMessage()).contains("left out", "enrolled over CAPF", "--flash-root");
        }
        Map<String, BootReport> first = bootAll(lab);
        for (PhoneOutcome p : now == null ? List.<PhoneOutcome>of() : now.before().phones()) {
            if (first.containsKey(p.phone())) {
                assertThat(p.verdict()).as(scenario.name() + ": first boot of " + p.phone()).isEqualTo(Verdict.of(first.get(p.phone()).verdict()));
                Optional<org.phoneemu.phone.RegistrationStep> got = first.get(p.phone()).registration();
                assertThat(registration(RegistrationVerdict.of(got))).as(scenario.name() + ": first registration of " + p.phone() + " (" + got + ")")
                        .isEqualTo(registration(p.registration()));
                compared.registrations += got.filter(r -> r instanceof org.phoneemu.phone.RegistrationStep.Attempted).isPresent() ? 1 : 0;
                compared.boots++;
            }
        }
    }

    private static ChangeStep change(Scenario.Step s) {
        if (s instanceof Scenario.Step.Admin a) {
            return new ChangeStep.Admin(a.node().isEmpty() ? Optional.empty() : Optional.of(a.node()), a.command());
        }
        if (s instanceof Scenario.Step.Press p) {
            return new ChangeStep.Press(p.button().equals("services") ? Button.SERVICES : Button.DIRECTORIES, ScenarioSteps.phone(p.target()));
        }
        return ScenarioSteps.phoneSide(s).orElseThrow(() -> new IllegalArgumentException("a step predict does not model: " + s));
    }

    private static <T> T predictedFor(List<T> outcomes, Function<T, String> phone, String name, String at) {
        return outcomes.stream().filter(o -> phone.apply(o).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(at + ": no prediction for " + name));
    }

    private static void compareBoots(String at, Lab lab, List<Phone> phones, List<PhoneOutcome> predicted, Counts compared) throws Exception {
        assertThat(predicted).as(at + ": phones predicted to boot").hasSize(phones.size());
        Map<String, Before> before = Before.of(phones);
        Map<String, BootReport> happened = new HashMap<>();
        if (phones.size() == lab.phones().size()) {
            happened.putAll(bootAll(lab));
        } else {
            for (Phone phone : phones) {
                happened.put(phone.name(), phone.boot().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
        }
        for (Phone phone : phones) {
            PhoneOutcome want = predictedFor(predicted, PhoneOutcome::phone, phone.name(), at);
            BootReport got = happened.get(phone.name());
            String where = at + ", " + phone.name() + ", predicted rule: " + want.rule();
            compareBoot(where, phone, before.get(phone.name()), got, want, addresses(List.of(lab.cluster())));
            assertThat(registration(RegistrationVerdict.of(got.registration()))).as(where + ": registration (" + got.registration() + ")")
                    .isEqualTo(registration(want.registration()));
            compared.registrations += got.registration().filter(r -> r instanceof org.phoneemu.phone.RegistrationStep.Attempted).isPresent() ? 1 : 0;
            assertThat(refused6971(got)).as(where + ": 6971 refused, the config fetched instead over (predicted: '" + want.provisioning() + "')")
                    .isEqualTo(want.provisioning().isEmpty() ? Optional.empty() : Optional.of(want.provisioning().contains("HTTP 6970") ? "HTTP" : "TFTP"));
            compared.provisioningRefusals += want.provisioning().isEmpty() ? 0 : 1;
            compared.boots++;
        }
    }

    /** When the phone refused the 6971 certificate for its config this boot: what the config came over instead. */
    private static Optional<String> refused6971(BootReport r) {
        return r.files().stream().filter(f -> f.name().toLowerCase(java.util.Locale.ROOT).contains(".cnf.xml"))
                .filter(f -> f.fellBack().stream().anyMatch(a -> a.transport() == org.phoneemu.tftp.boot.Transport.HTTPS && a.certificateRefused()))
                .map(f -> f.transport() == org.phoneemu.tftp.boot.Transport.HTTP ? "HTTP" : "TFTP").reduce((a, b) -> b);
    }

    /**
     * A registration verdict without the words of each failed attempt (the offline network has no socket to fail):
     * registered where and how, refused how, or no CallManager reached and whether one was not trusted.
     */
    private static String registration(RegistrationVerdict v) {
        if (v instanceof RegistrationVerdict.Registered r) {
            return "registered to " + r.node() + " over " + r.transport();
        }
        if (v instanceof RegistrationVerdict.Refused r) {
            return "refused by " + r.node() + ": " + r.status() + " " + r.reason();
        }
        if (v instanceof RegistrationVerdict.Unreachable u) {
            return "unreachable, a CallManager not trusted: " + u.untrustedCallManager();
        }
        return v.describe();
    }

    private static void comparePresses(String at, Lab lab, List<Phone> phones, Button button, List<PressOutcome> predicted, Counts compared)
            throws Exception {
        assertThat(predicted).as(at + ": phones predicted to press").hasSize(phones.size());
        for (Phone phone : phones) {
            PressOutcome want = predictedFor(predicted, PressOutcome::phone, phone.name(), at);
            String where = at + ", " + phone.name() + ", predicted rule: " + want.rule();
            int tvsBefore = phone.tvsContacts();
            PressResult got = phone.press(button).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            PressVerdict result = got instanceof PressResult.Shown ? PressVerdict.SHOWN
                    : got instanceof PressResult.HostNotFound ? PressVerdict.REFUSED : PressVerdict.FAILED;
            assertThat(result).as(where + ": press result (" + got + ")").isEqualTo(want.result());
            assertThat(got instanceof PressResult.Shown s ? Optional.of(s.via()) : Optional.empty())
                    .as(where + ": where the certificate was found trusted").isEqualTo(want.via());
            assertThat(phone.tvsContacts() > tvsBefore).as(where + ": asked TVS").isEqualTo(want.askedTvs());
            Map<String, String> address = addresses(List.of(lab.cluster()));
            assertThat(tvsAnswers(address, got.tvs())).as(where + ": what each TVS answered").isEqualTo(predictedAnswers(address, want.tvs()));
            compared.presses++;
        }
    }

    private static void compareMenus(String at, List<Phone> phones, String operation, List<MenuOutcome> predicted, Counts compared)
            throws Exception {
        assertThat(predicted).as(at + ": phones predicted at the menu").hasSize(phones.size());
        for (Phone phone : phones) {
            MenuOutcome want = predictedFor(predicted, MenuOutcome::phone, phone.name(), at);
            MenuResult got = menu(phone, operation);
            String said = got instanceof MenuResult.Done d ? d.message() : ((MenuResult.Refused) got).reason();
            assertThat(got instanceof MenuResult.Done).as(at + ", " + phone.name() + ": menu done (" + said + ")").isEqualTo(want.done());
            assertThat(said).as(at + ", " + phone.name() + ": what the phone said").isEqualTo(want.rule());
            compared.menus++;
        }
    }

    private static Map<String, BootReport> bootAll(Lab lab) throws Exception {
        Map<String, BootReport> out = new HashMap<>();
        for (BootReport r : lab.bootAll().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            out.put("SEP" + r.mac(), r);
        }
        return out;
    }

    @Test
    void changeTextsParseAsCucmCommandsOnNodesOrAReboot() {
        assertThat(ChangeStep.parse("set cert regen TVS", Optional.empty())).isEqualTo(new ChangeStep.Admin(Optional.empty(), "set cert regen TVS"));
        assertThat(ChangeStep.parse("cucmsub: set cert regen TVS", Optional.empty()))
                .isEqualTo(new ChangeStep.Admin(Optional.of("cucmsub"), "set cert regen TVS"));
        assertThat(ChangeStep.parse("utils itl reset localkey", Optional.of("cucmpub")))
                .isEqualTo(new ChangeStep.Admin(Optional.of("cucmpub"), "utils itl reset localkey"));
        assertThat(ChangeStep.parse("reboot phones", Optional.empty())).isEqualTo(new ChangeStep.Reboot());
        assertThat(ChangeStep.parse("reboot SEP001122334466", Optional.empty())).isEqualTo(new ChangeStep.Reboot(Optional.of("SEP001122334466")));
        assertThat(ChangeStep.parse("Press Directories", Optional.of("cucmsub")))
                .isEqualTo(new ChangeStep.Press(Button.DIRECTORIES, Optional.empty()));
        assertThat(ChangeStep.parse("press services on 001122334455", Optional.empty()))
                .isEqualTo(new ChangeStep.Press(Button.SERVICES, Optional.of("SEP001122334455")));
        assertThat(ChangeStep.parse("erase trust list", Optional.empty()))
                .isEqualTo(new ChangeStep.Menu(ChangeStep.MenuOperation.ERASE_ITL, Optional.empty()));
        assertThat(ChangeStep.parse("factory reset sep001122334466", Optional.empty()))
                .isEqualTo(new ChangeStep.Menu(ChangeStep.MenuOperation.FACTORY_RESET, Optional.of("SEP001122334466")));
        // CUCM's own words stay CUCM commands.
        assertThat(ChangeStep.parse("utils reset phones", Optional.empty())).isInstanceOf(ChangeStep.Admin.class);
    }
}
