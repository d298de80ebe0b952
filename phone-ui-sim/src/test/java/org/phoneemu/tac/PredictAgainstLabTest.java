package org.phoneemu.tac;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.scenario.Scenario;
import org.phoneemu.scenario.ScenarioParser;
import org.phoneemu.tac.predict.ChangeStep;
import org.phoneemu.tac.predict.PhoneOutcome;
import org.phoneemu.tac.predict.Prediction;
import org.phoneemu.tac.predict.PredictionException;
import org.phoneemu.tac.predict.Predictor;
import org.phoneemu.tac.predict.RebootPolicy;
import org.phoneemu.tac.predict.StepResult;
import org.phoneemu.tac.predict.Verdict;
import org.phoneemu.tac.served.Device;

/**
 * The proof of {@code predict}: for each acceptance scenario made of CUCM commands, waits and reboots of every
 * phone, the prediction is made first (on a copy of the cluster state and of the phones' flash), then the same
 * steps run on the real simulated cluster with real phones over loopback, and at every reboot each phone must end
 * as predicted: the verdict, whether it installed a new ITL, and whether it had to ask TVS.
 */
class PredictAgainstLabTest {
    /** Scenarios with presses, menu operations or single-phone boots are not changes predict models. */
    static final List<String> SUPPORTED = List.of("s01", "s02", "s03", "s04", "s05", "s07", "s08", "s09", "s10", "s11", "s14",
            "s16", "s17");

    static MultiThreadIoEventLoopGroup group;
    static NettyPhoneNetwork network;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
    }

    @AfterAll
    static void stop() throws Exception {
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @TestFactory
    Stream<DynamicTest> predictSaysWhatThenHappensPhoneByPhone() throws Exception {
        Path dir = Vectors.root().getParent().resolve("config").resolve("scenarios");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> SUPPORTED.contains(p.getFileName().toString().substring(0, 3))).sorted().toList();
        }
        assertThat(files).hasSize(SUPPORTED.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(ScenarioParser.parse(f))));
    }

    private void check(Scenario scenario) throws Exception {
        Path work = Files.createTempDirectory("predict-" + scenario.file().getFileName());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        Cluster cluster = Cluster.builder().config(scenario.cluster()).stateDirectory(work.resolve("cluster"))
                .clock(clock).freshState(true).mirrorFiles(false).build();
        List<String> macs = scenario.phones().isEmpty() ? cluster.spec().devices().stream().map(d -> d.mac()).toList() : scenario.phones();
        List<Scenario.Step> steps = scenario.steps().stream().filter(s -> !(s instanceof Scenario.Step.Expect)).toList();
        // A press is not part of a change: the comparison stops there (S3 ends with one).
        int press = 0;
        while (press < steps.size() && !(steps.get(press) instanceof Scenario.Step.Press)) {
            press++;
        }
        steps = steps.subList(0, press);
        assertThat(steps.get(0)).as("supported scenarios start with boot: all").isInstanceOf(Scenario.Step.Boot.class);
        int compared = 0;
        try (Lab lab = Lab.start(cluster, macs, work.resolve("phones"), clock, network, 1024)) {
            // The default input: every phone of the cluster file holds what the cluster serves now.
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
                    compared++;
                }
            }
            // The rest of the scenario as a change, predicted from the lab phones' flash.
            List<ChangeStep> change = new ArrayList<>();
            // A scenario of one boot is followed by one more, so the prediction from the flash is checked too.
            if (steps.size() == 1) {
                steps = List.of(steps.get(0), new Scenario.Step.Boot(0, "all"));
            }
            for (Scenario.Step s : steps.subList(1, steps.size())) {
                if (s instanceof Scenario.Step.Admin a) {
                    change.add(new ChangeStep.Admin(a.node().isEmpty() ? Optional.empty() : Optional.of(a.node()), a.command()));
                } else if (s instanceof Scenario.Step.Clock c) {
                    change.add(new ChangeStep.Wait(java.time.Duration.ofSeconds(c.seconds())));
                } else if (s instanceof Scenario.Step.Boot b) {
                    assertThat(b.target()).isEqualTo("all");
                    change.add(new ChangeStep.Reboot());
                } else {
                    throw new IllegalArgumentException("unsupported step " + s);
                }
            }
            Prediction p = Predictor.predict(new Predictor.Input(scenario.cluster(), work.resolve("cluster"), clock.instant(),
                    Optional.of(work.resolve("phones")), List.of(), change, RebootPolicy.EXPLICIT, false));
            assertThat(p.steps()).hasSize(change.size());
            for (int i = 0; i < change.size(); i++) {
                Scenario.Step s = steps.get(i + 1);
                StepResult predicted = p.steps().get(i);
                if (s instanceof Scenario.Step.Admin a) {
                    lab.admin(a.node(), a.command());
                } else if (s instanceof Scenario.Step.Clock c) {
                    clock.advance(java.time.Duration.ofSeconds(c.seconds()));
                } else {
                    assertThat(predicted.phonesRebooted()).isTrue();
                    Map<String, String> itlBefore = new HashMap<>();
                    Map<String, Integer> tvsBefore = new HashMap<>();
                    for (Phone phone : lab.phones()) {
                        itlBefore.put(phone.name(), phone.securityDaemon().trust().itl().map(l -> l.file().md5Hex()).orElse("none"));
                        tvsBefore.put(phone.name(), phone.tvsContacts());
                    }
                    Map<String, BootReport> happened = bootAll(lab);
                    for (Phone phone : lab.phones()) {
                        PhoneOutcome want = predicted.phones().stream().filter(o -> o.phone().equals(phone.name())).findFirst().orElseThrow();
                        BootReport got = happened.get(phone.name());
                        String at = scenario.name() + ", step " + (i + 1) + " (" + change.get(i).describe() + "), " + phone.name()
                                + ", predicted rule: " + want.rule();
                        assertThat(Verdict.of(got.verdict())).as(at + ": verdict").isEqualTo(want.verdict());
                        assertThat(!got.itlMd5().orElse("none").equals(itlBefore.get(phone.name()))).as(at + ": new ITL installed")
                                .isEqualTo(want.itlChanged());
                        assertThat(phone.tvsContacts() > tvsBefore.get(phone.name())).as(at + ": asked TVS").isEqualTo(want.askedTvs());
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).as("phones compared").isPositive();
    }

    private static Map<String, BootReport> bootAll(Lab lab) throws Exception {
        Map<String, BootReport> out = new HashMap<>();
        for (BootReport r : lab.bootAll().get(120, TimeUnit.SECONDS)) {
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
    }
}
