package org.phoneemu.tac;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.tftp.testing.TftpdHpa;

/** {@code audit} and {@code predict} as a user runs them: output, JSON, exit codes, bad input. */
class TacCommandsTest {
    static final Path REPO = Vectors.root().getParent();
    static final String ONE_NODE = REPO.resolve("config/scenarios/clusters/one-node.yaml").toString();
    static final String LAB = REPO.resolve("config/clusters/lab.yaml").toString();

    @Test
    void auditOfTftpdHpaServingTheExportedFilesIsReadOnlyAndFindsThePlaintextConfig(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("files");
        Cli.Result files = Cli.run("cucm", "files", "--cluster", ONE_NODE, "--state", tmp.resolve("state").toString(), "--out", out.toString());
        assertThat(files.code()).as(files.err()).isZero();
        long before = Files.list(out.resolve("cucmpub")).count();
        try (TftpdHpa server = TftpdHpa.startOrSkip(out.resolve("cucmpub"))) {
            int port = server.address().getPort();
            Path devices = tmp.resolve("devices.csv");
            Files.writeString(devices, "mac,model\n001122334455,7970\nSEP00AABBCCDDEE,8841\n");
            Path json = tmp.resolve("audit.json");
            Cli.Result r = Cli.run("audit", "--tftp", "127.0.0.1:" + port, "--devices", devices.toString(), "--json", json.toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Audit of TFTP 127.0.0.1:" + port, "ITLFile.tlv", "plaintext-config", "SEP001122334455.cnf.xml is served next to the .sgn");
            JsonNode tree = new ObjectMapper().readTree(json.toFile());
            assertThat(tree.get("trustLists").get(0).get("recoveryRecord").asBoolean()).isTrue();
            assertThat(tree.get("trustLists").get(0).get("md5").asText())
                    .isEqualTo(org.phoneemu.core.signedfile.SignedFile.parse(Files.readAllBytes(out.resolve("cucmpub/ITLFile.tlv"))).md5Hex());
            Cli.Result strict = Cli.run("audit", "--tftp", "127.0.0.1:" + port, "--fail-on", "medium", "--json", json.toString());
            assertThat(strict.code()).as("a medium finding with --fail-on medium").isEqualTo(1);
            // Read-only: the served directory is as it was.
            assertThat(Files.list(out.resolve("cucmpub")).count()).isEqualTo(before);
        }
    }

    @Test
    void auditOfAnUnreachableClusterOrBadInputExitsTwoWithOneLine(@TempDir Path tmp) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nobody answers there
        }
        Cli.Result r = Cli.run("audit", "--tftp", "127.0.0.1:" + port, "--timeout", "200ms", "--json", tmp.resolve("a.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("phone-emu: no answer from the TFTP server 127.0.0.1:" + port).doesNotContain("Exception");
        assertThat(Cli.run("audit").code()).isEqualTo(2);
        assertThat(Cli.run("audit", "--cluster", tmp.resolve("missing.yaml").toString()).err()).contains("no such file");
        assertThat(Cli.run("audit", "--cluster", ONE_NODE, "--fail-on", "severe").err()).contains("--fail-on");
    }

    @Test
    void auditOfAClusterFileNeverWritesItsState(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        Cli.Result made = Cli.run("cucm", "admin", "--cluster", ONE_NODE, "--state", state.toString(), "show", "itl");
        assertThat(made.code()).isZero();
        String props = Files.readString(state.resolve("state.properties"));
        Cli.Result r = Cli.run("audit", "--cluster", ONE_NODE, "--state", state.toString(), "--json", tmp.resolve("a.json").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("cucmpub ITLFile.tlv", "0 high");
        assertThat(Files.readString(state.resolve("state.properties"))).isEqualTo(props);
    }

    @Test
    void predictSaysLockedWithExitOneWhenPhonesRebootOnlyAfterBothRegenerations(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        Path json = tmp.resolve("p.json");
        Cli.Result r = Cli.run("predict", "--cluster", LAB, "--state", state.toString(), "--reboots", "explicit",
                "--change", "set cert regen CallManager", "--wait", "301s", "--change", "set cert regen TVS",
                "--change", "utils service restart Cisco Tftp", "--json", json.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("Step 1: admin:set cert regen CallManager", "Step 2: wait 301 s", "Step 3: admin:set cert regen TVS",
                "locked, \"Trust List Update Failed\"", "TVS on cucmpub has a certificate the phone does not trust",
                "Counts after the change: 0 trusted, 3 locked", "single-node TVS",
                "no order of these steps keeps every phone trusted");
        JsonNode tree = new ObjectMapper().readTree(json.toFile());
        assertThat(tree.get("exitCode").asInt()).isEqualTo(1);
        assertThat(tree.get("countsAfter").get("locked").asInt()).isEqualTo(3);
        assertThat(tree.get("steps").size()).isEqualTo(6);
    }

    @Test
    void predictLabelsAVerdictThatRestsOnAnAssumedExpiryRule(@TempDir Path tmp) throws Exception {
        String expiring = REPO.resolve("config/scenarios/clusters/expiring.yaml").toString();
        Path json = tmp.resolve("p.json");
        // ITLRecovery (10 days) has expired when the ITL is reset to be signed by it: refused by an assumed rule.
        Cli.Result r = Cli.run("predict", "--cluster", expiring, "--state", tmp.resolve("a").toString(), "--json", json.toString(),
                "--wait", "264h", "--change", "utils itl reset localkey");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("locked, \"Trust List Update Failed\" (assumed)", "is trusted but its certificate expired on",
                "(assumed: expiry of this certificate is not documented)");
        JsonNode steps = new ObjectMapper().readTree(json.toFile()).get("steps");
        JsonNode after = steps.get(steps.size() - 1).get("groups").get(0);
        assertThat(after.get("assumed").asBoolean()).isTrue();
        // CallManager (30 days) expired: documented, so the same kind of verdict carries no label.
        Cli.Result cm = Cli.run("predict", "--cluster", expiring, "--state", tmp.resolve("b").toString(),
                "--wait", "744h", "--change", "reboot phones");
        assertThat(cm.code()).as(cm.out() + cm.err()).isEqualTo(1);
        assertThat(cm.out()).contains("config refused", "is trusted but its certificate expired on").doesNotContain("(assumed");
    }

    @Test
    void predictSaysTrustedWhenTheClusterResetsThePhonesAfterEachRegeneration(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("predict", "--cluster", LAB, "--state", tmp.resolve("state").toString(),
                "--change", "set cert regen CallManager", "--wait", "301s", "--change", "set cert regen TVS");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("(the cluster resets the phones)", "needs TVS", "TVS on cucmpub knows it",
                "Result: every phone stays trusted through the change.");
    }

    @Test
    void predictFindsAnOrderWhenOneExistsAndWarnsOfTheHoldTimer(@TempDir Path tmp) throws Exception {
        // TVS then CallManager without a wait: the second is refused by the hold timer; the phones reboot in
        // between (explicit), so regenerating in this order locks nobody but the refused step changes nothing.
        Cli.Result r = Cli.run("predict", "--cluster", LAB, "--state", tmp.resolve("state").toString(), "--reboots", "explicit",
                "--change", "set cert regen CallManager", "--change", "reboot phones", "--change", "set cert regen TVS");
        assertThat(r.out()).contains("is refused by CUCM", "Please re-try");
        // Both regenerated, then a reboot: locked. Rebooting between the two keeps the phones trusted.
        Cli.Result order = Cli.run("predict", "--cluster", LAB, "--state", tmp.resolve("state").toString(), "--reboots", "explicit",
                "--change", "set cert regen CallManager", "--wait", "301s", "--change", "set cert regen TVS", "--change", "reboot phones");
        assertThat(order.code()).as(order.out()).isEqualTo(1);
        assertThat(order.out()).contains("Safer order (this order keeps every phone trusted):", "admin:set cert regen CallManager",
                "reboot phones", "wait 301 s", "admin:set cert regen TVS");
        String safer = order.out().substring(order.out().indexOf("Safer order"));
        assertThat(safer.indexOf("regen CallManager")).isLessThan(safer.indexOf("reboot phones"));
        assertThat(safer.indexOf("reboot phones")).isLessThan(safer.indexOf("regen TVS"));
    }

    @Test
    void auditAndPredictReadTheFlashOfALabRun(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("lab");
        Cli.Result lab = Cli.run("lab", "--phones", "2", "--cluster", LAB, "--work", work.toString());
        assertThat(lab.code()).as(lab.out() + lab.err()).isZero();
        String state = work.resolve("cluster").toString();
        Cli.Result audit = Cli.run("audit", "--cluster", LAB, "--state", state, "--flash-root", work.toString(),
                "--json", tmp.resolve("a.json").toString());
        // The story ends with the TFTP restart on the publisher only: the subscriber still serves the reset ITL
        // (signed by ITLRecovery), which does not list the subscriber's CallManager key that signs its configs.
        assertThat(audit.code()).as(audit.out() + audit.err()).isEqualTo(1);
        assertThat(audit.out()).contains("INSTALLED ITL MD5 / CTL MD5", "cucmsub ITLFile.tlv", "ITLRecovery")
                .containsPattern("high +cucmsub SEP001122334455 +config-signer")
                .doesNotContainPattern("high +cucmpub").doesNotContain("itl-mismatch");
        JsonNode flash = new ObjectMapper().readTree(tmp.resolve("a.json").toFile()).get("flash");
        assertThat(flash.size()).isEqualTo(1);
        assertThat(flash.get(0).get("phones").size()).isEqualTo(2);
        assertThat(flash.get(0).get("differing").asInt()).isZero();
        Path itl = work.resolve("phones/SEP001122334455/ITLFile.tlv");
        byte[] before = Files.readAllBytes(itl);
        // The lab's regenerations ran on its virtual clock: wait out the hold timer first.
        Cli.Result p = Cli.run("predict", "--cluster", LAB, "--state", state, "--flash-root", work.toString(), "--reboots", "explicit",
                "--no-reorder", "--wait", "1h", "--change", "set cert regen CallManager", "--wait", "301s", "--change", "set cert regen TVS");
        assertThat(p.code()).as(p.out() + p.err()).isEqualTo(1);
        // Before the change the phones hold exactly what the lab's cluster served (its mirrored files), not a rebuild.
        assertThat(p.out()).contains("Prediction for cluster lab (the saved state in ", "): 2 phone(s)", "rule: ITLSEP<MAC>.tlv unchanged",
                "SEP001122334455, SEP001122334466: locked",
                "Counts after the change: 0 trusted, 2 locked");
        assertThat(Files.readAllBytes(itl)).as("the lab phone's flash is only read").isEqualTo(before);
    }

    @Test
    void predictsTheDirectoryPressAndTheTrustListMenuPhoneByPhone(@TempDir Path tmp) throws Exception {
        Path devices = tmp.resolve("devices.csv");
        Files.writeString(devices, "001122334455,7970\n001122334466,8841\n"); // the second has settingsAccess 0
        Path json = tmp.resolve("p.json");
        Cli.Result r = Cli.run("predict", "--cluster", ONE_NODE, "--state", tmp.resolve("state").toString(), "--devices", devices.toString(),
                "--reboots", "explicit", "--no-reorder", "--change", "press directories", "--change", "press directories",
                "--change", "set cert regen TVS", "--wait", "86400s", "--change", "press directories", "--change", "erase trust list",
                "--change", "reboot SEP001122334455", "--json", json.toString());
        // The directory is refused after the TVS regeneration: exit 1 although every phone ends trusted.
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("Step 1: press directories", "SEP001122334455, SEP001122334466: shown, asked TVS",
                "TVS on cucmpub vouched for it: shown", "is in the phone's TVS cache",
                "refused, \"Host Not Found\", asked TVS", "no TVS the phone trusts: TVS on cucmpub has a certificate the phone does not trust",
                "SEP001122334455: erase trust list done", "SEP001122334466: erase trust list refused by the phone",
                "settings access is disabled (settingsAccess 0)", "Step 7: reboot SEP001122334455 (the phone reboots)",
                "trust on first use");
        JsonNode steps = new ObjectMapper().readTree(json.toFile()).get("steps");
        assertThat(steps.get(1).get("presses").get(0).get("via").asText()).isEqualTo("tvs");
        assertThat(steps.get(1).get("presses").get(0).get("askedTvs").asBoolean()).isTrue();
        assertThat(steps.get(1).get("presses").get(0).get("tvs").get(0).get("answer").asText()).isEqualTo("valid");
        assertThat(steps.get(2).get("presses").get(0).get("via").asText()).isEqualTo("tvs-cache");
        assertThat(steps.get(2).get("presses").get(0).get("askedTvs").asBoolean()).isFalse();
        assertThat(steps.get(5).get("presses").get(0).get("result").asText()).isEqualTo("refused");
        assertThat(steps.get(6).get("menus").size()).isEqualTo(2);
        assertThat(steps.get(6).get("menus").get(1).get("result").asText()).isEqualTo("refused");
        assertThat(steps.get(7).get("groups").get(0).get("phones").size()).as("one phone reboots").isEqualTo(1);
        Cli.Result unknown = Cli.run("predict", "--cluster", ONE_NODE, "--state", tmp.resolve("state").toString(), "--devices", devices.toString(),
                "--change", "factory reset SEP0011223344FF");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no phone SEP0011223344FF").doesNotContain("Exception");
    }

    @Test
    void predictsAMoveToClusterBPhoneByPhone(@TempDir Path tmp) {
        String b = REPO.resolve("config/clusters/lab-b.yaml").toString();
        String[] both = {"predict", "--cluster", LAB, "--state", tmp.resolve("a").toString(), "--cluster-b", b, "--state-b", tmp.resolve("b").toString()};
        Cli.Result unprepared = Cli.run(concat(both, "--change", "move all to B"));
        assertThat(unprepared.code()).as(unprepared.out() + unprepared.err()).isEqualTo(1);
        assertThat(unprepared.out()).contains("cluster lab (A) and cluster lab-b (B)", "Step 1: move phones to cluster B",
                "SEP001122334455, SEP001122334466, SEP001122334477: locked, \"Trust List Update Failed\", needs TVS",
                "signed by CN=newpub.b.example", "TVS on cucmpub does not know it: refused");
        Cli.Result bulk = Cli.run(concat(both, "--reboots", "explicit", "--change", "B: utils bulkcert export", "--change", "utils bulkcert export",
                "--change", "utils bulkcert consolidate", "--change", "utils bulkcert import", "--change", "move phones to B"));
        assertThat(bulk.code()).as(bulk.out() + bulk.err()).isZero();
        assertThat(bulk.out()).contains("Step 1: admin:utils bulkcert export (on cluster B)", "TVS on cucmpub knows it: installed",
                "Counts after the change: 3 trusted, 0 locked");
        Cli.Result noB = Cli.run("predict", "--cluster", LAB, "--state", tmp.resolve("a").toString(), "--change", "move phones to B");
        assertThat(noB.code()).isEqualTo(2);
        assertThat(noB.err()).contains("--cluster-b").doesNotContain("Exception");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void predictRefusesBadInputWithExitTwo(@TempDir Path tmp) {
        Cli.Result node = Cli.run("predict", "--cluster", LAB, "--state", tmp.resolve("s").toString(), "--node", "nosuch",
                "--change", "set cert regen TVS");
        assertThat(node.code()).isEqualTo(2);
        assertThat(node.err()).contains("no node 'nosuch'").doesNotContain("Exception");
        assertThat(Cli.run("predict", "--cluster", LAB, "--change", "show itl", "--wait", "soon").err()).contains("--wait takes a duration");
        assertThat(Cli.run("predict", "--cluster", LAB, "--change", "show itl", "--flash-root", tmp.resolve("none").toString()).code()).isEqualTo(2);
        assertThat(Cli.run("predict", "--cluster", LAB).code()).isEqualTo(2);
    }

}
