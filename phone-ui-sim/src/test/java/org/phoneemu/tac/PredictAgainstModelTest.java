package org.phoneemu.tac;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.cli.Cli;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.tftp.testing.TftpdHpa;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.tac.predict.ChangeStep;
import org.phoneemu.tac.predict.ModelledPrediction;
import org.phoneemu.tac.predict.PhoneOutcome;
import org.phoneemu.tac.predict.Prediction;
import org.phoneemu.tac.predict.Predictor;
import org.phoneemu.tac.predict.RebootPolicy;
import org.phoneemu.tac.predict.StepResult;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.ServedCluster;
import org.phoneemu.tac.served.TftpReader;

/**
 * {@code predict --tftp}: a live cluster known only by what its TFTP servers serve. The simulated cluster runs for
 * real over loopback and plays the live one; its files are read over TFTP, modelled, and the model's prediction must
 * equal the prediction made with the cluster's own file and keys, step by step and phone by phone.
 */
class PredictAgainstModelTest {
    static final Path REPO = Vectors.root().getParent();
    static final Instant START = Instant.parse("2026-01-01T09:00:00Z");

    static Stream<Path> clusterFiles() {
        // default.yaml binds fixed ports; lab.yaml is the same shape on ephemeral ones.
        return Stream.of("config/clusters/lab.yaml", "config/clusters/seed-test10.yaml",
                "config/clusters/seed-ca-signed.yaml", "config/scenarios/clusters/one-node.yaml", "config/scenarios/clusters/two-node.yaml",
                "config/scenarios/clusters/mixed-mode.yaml").map(REPO::resolve);
    }

    /** A running cluster plays the live one; its state directory is what --cluster reads. */
    record Live(Cluster cluster, Path state, ServedCluster served) implements AutoCloseable {
        static Live start(Path clusterFile, Path dir, List<Device> extra) throws Exception {
            return start(clusterFile, dir, extra, List.of());
        }

        /** {@code before}: admin commands run on the publisher before the files are read. */
        static Live start(Path clusterFile, Path dir, List<Device> extra, List<String> before) throws Exception {
            Path state = dir.resolve("state");
            Cluster c = Cluster.builder().config(clusterFile).stateDirectory(state).clock(new VirtualClock(START)).freshState(true).build();
            c.start().get();
            for (String command : before) {
                org.phoneemu.cucm.AdminShell.Result r = new org.phoneemu.cucm.AdminShell(c, c.publisher().id()).run(command);
                assertThat(r.refused()).as(command + ": " + r.reason()).isFalse();
            }
            List<Device> devices = new ArrayList<>(c.spec().devices().stream().map(d -> new Device(d.mac(), d.model())).toList());
            devices.addAll(extra);
            List<InetSocketAddress> servers = c.nodes().stream().filter(Node::tftp).map(Node::tftpAddress).toList();
            ServedCluster served = new TftpReader(Duration.ofSeconds(2), 3).read(servers, devices);
            return new Live(c, state, served);
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    @ParameterizedTest
    @MethodSource("clusterFiles")
    void theModelServesFilesOfTheLiveClustersShape(Path clusterFile, @TempDir Path tmp) throws Exception {
        try (Live live = Live.start(clusterFile, tmp, List.of(new Device("00AABBCCDDEE", "8841")))) {
            Prediction p = ModelledPrediction.predict(new ModelledPrediction.Input(live.served(), START, Optional.empty(),
                    List.of(new ChangeStep.Wait(Duration.ofSeconds(1))), RebootPolicy.EXPLICIT, false, Optional.empty()));
            assertThat(p.warnings()).as(clusterFile.getFileName() + ": the model's files have the served files' shape")
                    .noneMatch(w -> w.startsWith("model differs"));
            assertThat(p.before().phones()).isNotEmpty();
        }
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("config/scenarios/clusters/one-node.yaml", List.of("set cert regen CallManager")),
                Arguments.of("config/scenarios/clusters/one-node.yaml", List.of("set cert regen CallManager", "wait 301", "set cert regen TVS")),
                Arguments.of("config/clusters/lab.yaml", List.of("set cert regen CallManager", "wait 301", "set cert regen TVS", "reboot phones",
                        "utils itl reset localkey", "reboot phones")),
                Arguments.of("config/scenarios/clusters/two-node.yaml", List.of("cucmpub: set cert regen CallManager", "wait 301",
                        "cucmpub: set cert regen TVS")),
                Arguments.of("config/scenarios/clusters/two-node.yaml", List.of("cucmpub: set network hostname cucmpub2",
                        "cucmsub: set network hostname cucmsub2")),
                Arguments.of("config/clusters/seed-test10.yaml", List.of("set cert regen ITLRecovery", "utils service restart Cisco Tftp",
                        "reboot phones", "set cert regen CallManager", "wait 301", "set cert regen TVS")),
                Arguments.of("config/scenarios/clusters/mixed-mode.yaml", List.of("set network hostname cucmnew", "utils ctl update CTLFile")),
                // The phones' side: the directory through TVS and the cache (S12, S13), the Trust List menu (S15).
                Arguments.of("config/scenarios/clusters/two-node.yaml", List.of("press directories", "press directories",
                        "cucmpub: set cert regen TVS", "wait 86400", "press directories", "cucmsub: set cert regen TVS", "wait 86400",
                        "press directories")),
                Arguments.of("config/scenarios/clusters/one-node.yaml", List.of("set cert regen CallManager", "wait 301", "set cert regen TVS",
                        "reboot phones", "erase trust list", "reboot phones")));
    }

    @Test
    void anItlSignedByTheRecoveryKeyIsReachedOnTheModelTheWayTheClusterDid(@TempDir Path tmp) throws Exception {
        Path clusterFile = REPO.resolve("config/clusters/lab.yaml");
        List<ChangeStep> steps = List.of(ChangeStep.parse("utils service restart Cisco Tftp", Optional.empty()), new ChangeStep.Reboot());
        try (Live live = Live.start(clusterFile, tmp, List.of(), List.of("utils itl reset localkey"))) {
            String signer = org.phoneemu.core.trustlist.TrustList.parse(live.served().firstNode().get("ITLFile.tlv").orElseThrow(),
                    org.phoneemu.core.trustlist.TrustListKind.ITL).file().signer().name();
            assertThat(signer).contains("ITLRECOVERY_");
            Prediction own = Predictor.predict(new Predictor.Input(clusterFile, live.state(), START, Optional.empty(), live.served().devices(),
                    steps, RebootPolicy.CLUSTER_RESETS, false));
            Prediction modelled = ModelledPrediction.predict(new ModelledPrediction.Input(live.served(), START, Optional.empty(), steps,
                    RebootPolicy.CLUSTER_RESETS, false, Optional.empty()));
            assertThat(modelled.warnings()).noneMatch(w -> w.startsWith("model differs"));
            assertThat(modelled.before().servedItl()).contains("signed by CN=ITLRECOVERY_");
            same("before", own.before(), modelled.before());
            for (int i = 0; i < own.steps().size(); i++) {
                same("step " + (i + 1), own.steps().get(i), modelled.steps().get(i));
            }
            same("after", own.after(), modelled.after());
        }
    }

    @ParameterizedTest
    @MethodSource("changes")
    void theModelPredictsWhatTheClustersOwnFilePredicts(String file, List<String> change, @TempDir Path tmp) throws Exception {
        Path clusterFile = REPO.resolve(file);
        List<ChangeStep> steps = change.stream().map(s -> s.startsWith("wait ")
                ? new ChangeStep.Wait(Duration.ofSeconds(Long.parseLong(s.substring(5)))) : ChangeStep.parse(s, Optional.empty())).toList();
        try (Live live = Live.start(clusterFile, tmp, List.of())) {
            List<Device> devices = live.served().devices();
            Prediction own = Predictor.predict(new Predictor.Input(clusterFile, live.state(), START, Optional.empty(), devices, steps,
                    RebootPolicy.CLUSTER_RESETS, false));
            Prediction modelled = ModelledPrediction.predict(new ModelledPrediction.Input(live.served(), START, Optional.empty(), steps,
                    RebootPolicy.CLUSTER_RESETS, false, Optional.empty()));
            assertThat(modelled.warnings()).noneMatch(w -> w.startsWith("model differs"));
            same(file + " before", own.before(), modelled.before());
            assertThat(modelled.steps()).hasSameSizeAs(own.steps());
            for (int i = 0; i < own.steps().size(); i++) {
                same(file + " step " + (i + 1) + " " + own.steps().get(i).step(), own.steps().get(i), modelled.steps().get(i));
            }
            same(file + " after", own.after(), modelled.after());
            assertThat(modelled.exitCode()).isEqualTo(own.exitCode());
            if (change.stream().anyMatch(c -> c.startsWith("press"))) {
                assertThat(own.steps()).as("presses were compared").anyMatch(st -> !st.presses().isEmpty());
            }
            if (change.stream().anyMatch(c -> c.startsWith("erase"))) {
                assertThat(own.steps()).as("menu operations were compared").anyMatch(st -> !st.menus().isEmpty());
            }
        }
    }

    /** The same phones end the same way: verdict, new ITL or not, TVS asked or not; CUCM refused the same steps. */
    private static void same(String at, StepResult own, StepResult modelled) {
        assertThat(modelled.refused()).as(at + ": refused").isEqualTo(own.refused());
        assertThat(modelled.phonesRebooted()).as(at + ": phones rebooted").isEqualTo(own.phonesRebooted());
        assertThat(modelled.phones()).as(at + ": phones").hasSameSizeAs(own.phones());
        for (PhoneOutcome o : own.phones()) {
            PhoneOutcome m = modelled.phones().stream().filter(x -> x.phone().equals(o.phone())).findFirst().orElseThrow();
            String what = at + ", " + o.phone() + " (own rule: " + o.rule() + "; model's rule: " + m.rule() + ")";
            assertThat(m.verdict()).as(what + ": verdict").isEqualTo(o.verdict());
            assertThat(m.itlChanged()).as(what + ": new ITL").isEqualTo(o.itlChanged());
            assertThat(m.askedTvs()).as(what + ": asked TVS").isEqualTo(o.askedTvs());
        }
        assertThat(modelled.presses()).as(at + ": presses").hasSameSizeAs(own.presses());
        for (var o : own.presses()) {
            var m = modelled.presses().stream().filter(x -> x.phone().equals(o.phone())).findFirst().orElseThrow();
            String what = at + ", press on " + o.phone() + " (own rule: " + o.rule() + "; model's rule: " + m.rule() + ")";
            assertThat(m.result()).as(what + ": result").isEqualTo(o.result());
            assertThat(m.via()).as(what + ": trusted through").isEqualTo(o.via());
            assertThat(m.tvs().stream().map(t -> t.node() + " " + t.answer()).toList()).as(what + ": TVS answers")
                    .isEqualTo(o.tvs().stream().map(t -> t.node() + " " + t.answer()).toList());
        }
        assertThat(modelled.menus()).as(at + ": menu operations").hasSameSizeAs(own.menus());
        for (var o : own.menus()) {
            var m = modelled.menus().stream().filter(x -> x.phone().equals(o.phone())).findFirst().orElseThrow();
            assertThat(m.done()).as(at + ", menu on " + o.phone() + ": done").isEqualTo(o.done());
        }
    }

    @Test
    void predictOverTftpFromTftpdHpaServingTheExportedFilesGivesTheClusterFilesCounts(@TempDir Path tmp) throws Exception {
        String oneNode = REPO.resolve("config/scenarios/clusters/one-node.yaml").toString();
        Path out = tmp.resolve("files");
        String state = tmp.resolve("state").toString();
        Cli.Result files = Cli.run("cucm", "files", "--cluster", oneNode, "--state", state, "--out", out.toString());
        assertThat(files.code()).as(files.err()).isZero();
        try (TftpdHpa server = TftpdHpa.startOrSkip(out.resolve("cucmpub"))) {
            int port = server.address().getPort();
            Path devices = tmp.resolve("devices.csv");
            Files.writeString(devices, "mac,model\n001122334455,7970\n001122334466,8841\n");
            String[] change = {"--change", "set cert regen CallManager", "--wait", "301s", "--change", "set cert regen TVS", "--reboots", "explicit"};
            Path model = tmp.resolve("model.yaml");
            Cli.Result live = Cli.run(concat(new String[] {"predict", "--tftp", "127.0.0.1:" + port, "--devices", devices.toString(),
                    "--save-model", model.toString(), "--json", tmp.resolve("live.json").toString()}, change));
            Cli.Result own = Cli.run(concat(new String[] {"predict", "--cluster", oneNode, "--state", state, "--devices", devices.toString(),
                    "--json", tmp.resolve("own.json").toString()}, change));
            assertThat(own.code()).as(own.out() + own.err()).isEqualTo(1);
            assertThat(live.code()).as(live.out() + live.err()).isEqualTo(1);
            assertThat(live.out()).contains("Prediction for model of TFTP 127.0.0.1:" + port, "Trust List Update Failed");
            JsonNode a = new ObjectMapper().readTree(tmp.resolve("live.json").toFile());
            JsonNode b = new ObjectMapper().readTree(tmp.resolve("own.json").toFile());
            assertThat(a.get("countsAfter")).isEqualTo(b.get("countsAfter"));
            assertThat(a.get("countsAfter").get("locked").asInt()).isEqualTo(2);
            // The saved model is a cluster file: predict --cluster takes it and says the same.
            Cli.Result again = Cli.run(concat(new String[] {"predict", "--cluster", model.toString(), "--state", tmp.resolve("model-state").toString(),
                    "--devices", devices.toString()}, change));
            assertThat(again.code()).as(again.out() + again.err()).isEqualTo(1);
        }
    }

    @Test
    void withAFlashRootOnlyPhonesHoldingWhatIsServedNowArePredictedAndTheRestAreNamed(@TempDir Path tmp) throws Exception {
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory());
        try (org.phoneemu.phone.NettyPhoneNetwork network = new org.phoneemu.phone.NettyPhoneNetwork(group);
             Live live = Live.start(REPO.resolve("config/scenarios/clusters/two-node.yaml"), tmp, List.of())) {
            List<String> macs = live.served().devices().stream().map(Device::mac).toList();
            assertThat(macs).hasSizeGreaterThan(1);
            Path flash = tmp.resolve("phones");
            try (org.phoneemu.lab.Lab lab = org.phoneemu.lab.Lab.start(live.cluster(), macs, flash, live.cluster().clock(), network, 1024)) {
                lab.bootAll().get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            // One phone holds an ITL the cluster no longer serves: a model cannot hold it.
            String odd = "SEP" + macs.get(0);
            Files.delete(flash.resolve(odd).resolve(org.phoneemu.core.store.TrustStore.ITL));
            Prediction p = ModelledPrediction.predict(new ModelledPrediction.Input(live.served(), START, Optional.of(flash),
                    List.of(ChangeStep.parse("cucmpub: set cert regen CallManager", Optional.empty())), RebootPolicy.CLUSTER_RESETS, false,
                    Optional.empty()));
            assertThat(p.before().phones()).extracting(PhoneOutcome::phone).doesNotContain(odd).hasSize(macs.size() - 1);
            assertThat(p.warnings()).anyMatch(w -> w.startsWith("1 phone(s) left out") && w.contains(odd + " (none / none)"));
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void predictOverTftpNeedsThePhonesAndAnAnsweringServer(@TempDir Path tmp) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path devices = tmp.resolve("devices.csv");
        Files.writeString(devices, "001122334455\n");
        Cli.Result silent = Cli.run("predict", "--tftp", "127.0.0.1:" + port, "--timeout", "200ms", "--devices", devices.toString(),
                "--change", "set cert regen TVS");
        assertThat(silent.code()).isEqualTo(2);
        assertThat(silent.err().strip()).doesNotContain("Exception").contains("no answer from the TFTP server 127.0.0.1:" + port).hasLineCount(1);
        try (Live live = Live.start(REPO.resolve("config/scenarios/clusters/one-node.yaml"), tmp, List.of())) {
            InetSocketAddress a = live.cluster().publisher().tftpAddress();
            Cli.Result noPhones = Cli.run("predict", "--tftp", a.getAddress().getHostAddress() + ":" + a.getPort(), "--change", "set cert regen TVS");
            assertThat(noPhones.code()).isEqualTo(2);
            assertThat(noPhones.err().strip()).contains("--devices devices.csv or --flash-root DIR").hasLineCount(1);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
