package org.phoneemu.scenario;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.trust.MenuResult;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.lab.ClusterSet;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Button;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PhoneNetwork;
import org.phoneemu.phone.PressResult;

/**
 * Runs scenario files against the simulated cluster with a virtual clock. Each file gets a fresh cluster state
 * and fresh phones in a work directory; every expectation becomes a named check in the result.
 */
public final class ScenarioRunner {
    /** How long one boot or press may take before the scenario is failed (a wall-clock guard, not a test of speed). */
    private static final long STEP_TIMEOUT_SECONDS = 120;

    private final Path workRoot;
    private final Function<VirtualClock, PhoneNetwork> networks;
    private final PrintWriter progress;
    private final java.util.Set<String> shownLog = new java.util.HashSet<>();

    /**
     * @param networks makes the phones' network for a scenario's clock (the Netty clients in production)
     * @param progress where to print one line per step; may be null
     */
    public ScenarioRunner(Path workRoot, Function<VirtualClock, PhoneNetwork> networks, PrintWriter progress) {
        this.workRoot = workRoot;
        this.networks = networks;
        this.progress = progress;
    }

    public ScenarioResult run(Scenario scenario) {
        Instant started = Instant.now();
        List<ScenarioResult.Check> checks = new ArrayList<>();
        Path work = workRoot.resolve(scenario.file().getFileName().toString().replaceAll("\\.ya?ml$", ""));
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        say("== " + scenario.name() + " (" + scenario.file().getFileName() + ")");
        try {
            Lab.deleteWorkDirectory(work);
            Cluster cluster = Cluster.builder().config(scenario.cluster()).stateDirectory(work.resolve("cluster"))
                    .clock(clock).freshState(true).mirrorFiles(false).build();
            List<String> macs = scenario.phones().isEmpty()
                    ? cluster.spec().devices().stream().map(d -> d.mac()).toList() : scenario.phones();
            try (Lab lab = Lab.start(cluster, macs, work.resolve("phones"), clock, networks.apply(clock), 1024);
                 ClusterSet clusters = otherClusters(scenario, lab, clock, work)) {
                State state = new State(clusters, scenario.clusters().size() > 1);
                for (Scenario.Step step : scenario.steps()) {
                    run(lab, clock, step, state, checks);
                }
            }
            return new ScenarioResult(scenario, checks, Duration.between(started, Instant.now()), null);
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            say("   ERROR " + msg);
            return new ScenarioResult(scenario, checks, Duration.between(started, Instant.now()), msg);
        }
    }

    /** What the steps left behind for later expectations, and the run's clusters. */
    private static final class State {
        final Map<String, PressResult> lastPress = new HashMap<>();
        final ClusterSet clusters;
        /** Several clusters: admin commands go through {@link #clusters} (their shells share one folder). */
        final boolean several;

        State(ClusterSet clusters, boolean several) {
            this.clusters = clusters;
            this.several = several;
        }
    }

    /** The scenario's other clusters (a migration), each with its own state folder, started beside the lab's. */
    private static ClusterSet otherClusters(Scenario scenario, Lab lab, VirtualClock clock, Path work) throws Exception {
        Map<String, Cluster> others = new java.util.LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : scenario.clusters().entrySet()) {
                if (!e.getKey().equals(scenario.home())) {
                    others.put(e.getKey(), Cluster.builder().config(e.getValue()).stateDirectory(work.resolve("cluster-" + e.getKey()))
                            .clock(clock).freshState(true).mirrorFiles(false).build());
                }
            }
        } catch (Exception e) {
            others.values().forEach(Cluster::close);
            throw e;
        }
        java.nio.file.Files.createDirectories(work.resolve("sftp"));
        return ClusterSet.start(lab, scenario.home(), others, work.resolve("sftp"));
    }

    private void run(Lab lab, VirtualClock clock, Scenario.Step step, State state, List<ScenarioResult.Check> checks) throws Exception {
        if (step instanceof Scenario.Step.Admin a) {
            admin(lab, a, state, checks);
        } else if (step instanceof Scenario.Step.Clock c) {
            clock.advance(Duration.ofSeconds(c.seconds()));
            say("   clock +" + c.seconds() + " s -> " + clock.instant());
        } else if (step instanceof Scenario.Step.Boot b) {
            boot(lab, b);
        } else if (step instanceof Scenario.Step.Press p) {
            press(lab, p, state);
        } else if (step instanceof Scenario.Step.Menu m) {
            menu(lab, m, checks);
        } else if (step instanceof Scenario.Step.Capf c) {
            for (Phone phone : targets(lab, c.target())) {
                ScenarioCapf.apply(lab.cluster(), phone, c.settings()).forEach(this::say);
            }
        } else if (step instanceof Scenario.Step.Move m) {
            for (Phone phone : targets(lab, m.target())) {
                state.clusters.move(phone, m.to()).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                say("   move " + phone.name() + " to cluster " + m.to() + ": TFTP " + phone.tftpServers());
            }
        } else if (step instanceof Scenario.Step.Expect e) {
            expect(lab, e, state, checks);
        }
    }

    private void admin(Lab lab, Scenario.Step.Admin a, State state, List<ScenarioResult.Check> checks) throws Exception {
        String out = state.several ? state.clusters.run(a.cluster(), a.node(), a.command()).output() : lab.admin(a.node(), a.command());
        say("   admin:" + a.command() + (a.node().isEmpty() ? "" : " (on " + a.node() + ")")
                + (state.several ? " [cluster " + (a.cluster().isEmpty() ? state.clusters.home() : a.cluster()) + "]" : ""));
        out.lines().forEach(l -> say("     " + l));
        if (!a.expectOutput().isEmpty()) {
            boolean ok = out.contains(a.expectOutput());
            checks.add(new ScenarioResult.Check("step " + a.line() + ": admin " + a.command() + " prints '" + a.expectOutput() + "'",
                    ok, ok ? null : "output was: " + out.strip()));
        }
    }

    private void boot(Lab lab, Scenario.Step.Boot b) throws Exception {
        List<CompletableFuture<BootReport>> boots = targets(lab, b.target()).stream().map(Phone::boot).toList();
        for (CompletableFuture<BootReport> f : boots) {
            BootReport r = f.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            say("   boot " + new Mac(r.mac()).deviceName() + ": " + r.verdict() + ", " + r.trustState().description()
                    + r.itlMd5().map(m -> ", ITL MD5 " + m).orElse("") + r.lastStatus().map(s -> ", \"" + s + "\"").orElse("")
                    + r.error().map(e -> ", error: " + e).orElse(""));
        }
    }

    private void press(Lab lab, Scenario.Step.Press p, State state) throws Exception {
        Button button = p.button().equals("services") ? Button.SERVICES : Button.DIRECTORIES;
        for (Phone phone : targets(lab, p.target())) {
            PressResult r = phone.press(button).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            state.lastPress.put(phone.mac(), r);
            say("   press " + p.button() + " on " + phone.name() + ": " + describe(r));
        }
    }

    private void menu(Lab lab, Scenario.Step.Menu m, List<ScenarioResult.Check> checks) throws Exception {
        for (Phone phone : targets(lab, m.target())) {
            MenuResult r = (switch (m.operation()) {
                case "erase-itl" -> phone.eraseItl();
                case "erase-ctl" -> phone.eraseCtl();
                default -> phone.factoryReset();
            }).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String got = r instanceof MenuResult.Done ? "done" : "refused";
            say("   menu " + m.operation() + " on " + phone.name() + ": " + got);
            if (!m.expect().isEmpty()) {
                boolean ok = got.equals(m.expect());
                checks.add(new ScenarioResult.Check("step " + m.line() + ": " + phone.name() + " " + m.operation() + " " + m.expect(),
                        ok, ok ? null : "was " + got + (r instanceof MenuResult.Refused x ? ": " + x.reason() : "")));
            }
        }
    }

    private void expect(Lab lab, Scenario.Step.Expect e, State state, List<ScenarioResult.Check> checks) {
        for (Phone phone : targets(lab, e.target())) {
            for (Map.Entry<Expectation, Object> check : e.checks().entrySet()) {
                String failure = check.getKey().failure(new Expectation.Observed(lab, phone, state.lastPress, state.clusters::servedItlMd5), check.getValue());
                String name = "step " + e.line() + ": " + phone.name() + " " + check.getKey().key() + " " + check.getValue();
                checks.add(new ScenarioResult.Check(name, failure == null, failure));
                say("   " + (failure == null ? "ok   " : "FAIL ") + name + (failure == null ? "" : " -- " + failure));
                if (failure != null && !shownLog.contains(phone.mac() + "@" + e.line())) {
                    // The phone's recent console lines say why, as a TAC engineer would read them.
                    shownLog.add(phone.mac() + "@" + e.line());
                    List<String> lines = phone.consoleLog().formatted();
                    lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(l -> say("        | " + l));
                }
            }
        }
    }

    private static List<Phone> targets(Lab lab, String target) {
        if ("all".equals(target)) {
            return lab.phones();
        }
        return List.of(lab.phone(target).orElseThrow(() -> new IllegalArgumentException("no phone " + target + " in this scenario")));
    }

    static String describe(PressResult r) {
        if (r instanceof PressResult.Shown s) {
            return "shown (HTTP " + s.status() + ", certificate via " + s.via() + ")";
        }
        if (r instanceof PressResult.HostNotFound h) {
            return "Host Not Found";
        }
        return "failed: " + ((PressResult.Failed) r).reason();
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }
}
