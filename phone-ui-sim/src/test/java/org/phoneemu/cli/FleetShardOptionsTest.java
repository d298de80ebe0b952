package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;

/** The shard options and the dry run: plans, and bad input as one line with exit 2. Nothing here starts a phone. */
class FleetShardOptionsTest {
    private static final Path REPO = Vectors.root().getParent();

    @TempDir
    Path tmp;

    @AfterEach
    void realEnvironment() {
        FleetShardOptions.environment = System::getenv;
    }

    private static Cli.Result fleet(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "fleet";
        System.arraycopy(args, 0, all, 1, args.length);
        return Cli.run(all);
    }

    private static void assertBadInput(Cli.Result r, String... message) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("phone-emu: ").contains(message).doesNotContain("\n", "Exception");
        assertThat(r.out()).doesNotContain("dry run");
    }

    @Test
    void aDryRunOfADevicesFilePrintsTheShardsBlockAndStartsNothing() throws Exception {
        Path devices = tmp.resolve("devices.csv");
        Files.writeString(devices, "mac,model\n001122334455,7970\n001122334466,8841\n001122334477,7970\n");
        Cli.Result r = fleet("--tftp", "tftp.cluster.invalid:69", "--devices", devices.toString(), "--shard-count", "2", "--shard-index", "1",
                "--run-id", "capacity-7", "--report", tmp.resolve("report").toString(), "--dry-run");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("dry run: nothing started", "target: --tftp tftp.cluster.invalid:69",
                "shard 1/2 of run capacity-7: 2 of 3 phones (#1..#2, 001122334466..001122334477)",
                "start: as soon as the phones are set up");
        assertThat(Files.exists(tmp.resolve("report"))).isFalse();
    }

    @Test
    void theIndexComesFromTheJobsEnvironmentWhenNotGiven() {
        FleetShardOptions.environment = Map.of("JOB_COMPLETION_INDEX", "3")::get;
        Cli.Result r = fleet("--tftp", "127.0.0.1", "--phones", "10", "--shard-count", "4", "--start-at", "2026-11-26T15:00:00+01:00",
                "--dry-run");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("shard 3/4 of run run-", ": 3 of 10 phones (#7..#9, 00AB00000007..00AB00000009)",
                "start: 2026-11-26T14:00:00Z");
    }

    @Test
    void shardsOfOneCommandLineShareADerivedRunIdThatOtherOptionsChange() {
        String a = runOf(fleet("--tftp", "127.0.0.1", "--phones", "10", "--shard-count", "2", "--shard-index", "0", "--dry-run",
                "--report", "a"));
        String b = runOf(fleet("--tftp", "127.0.0.1", "--phones", "10", "--shard-count", "2", "--shard-index", "1", "--dry-run",
                "--report", "b", "--flash", "memory"));
        String c = runOf(fleet("--tftp", "127.0.0.1", "--phones", "12", "--shard-count", "2", "--shard-index", "1", "--dry-run"));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    private static String runOf(Cli.Result r) {
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        int at = r.out().indexOf(" of run ");
        return r.out().substring(at + 8, r.out().indexOf(':', at));
    }

    @Test
    void badShardOptionsAreOneLineAndExitTwo() {
        assertBadInput(fleet("--tftp", "127.0.0.1", "--shard-index", "1", "--dry-run"), "--shard-index needs --shard-count");
        assertBadInput(fleet("--tftp", "127.0.0.1", "--shard-count", "4", "--dry-run"),
                "--shard-count 4 needs --shard-index (or JOB_COMPLETION_INDEX in the environment)");
        assertBadInput(fleet("--tftp", "127.0.0.1", "--shard-count", "4", "--shard-index", "4", "--dry-run"),
                "the shard index must be between 0 and 3, not 4");
        assertBadInput(fleet("--tftp", "127.0.0.1", "--shard-count", "0", "--shard-index", "0", "--dry-run"), "the shard count must be");
        assertBadInput(fleet("--tftp", "127.0.0.1", "--start-at", "tomorrow", "--dry-run"), "--start-at 'tomorrow' is not an ISO-8601 instant");
        assertBadInput(fleet("--tftp", "127.0.0.1", "--run-id", "a b", "--dry-run"), "--run-id 'a b'");
        assertBadInput(fleet("--tftp", "127.0.0.1", "--metrics-port", "70000", "--dry-run"), "--metrics-port must be between 0 and 65535");
        assertBadInput(fleet("--tftp", "127.0.0.1:0", "--dry-run"), "port out of range in '127.0.0.1:0'");
        assertBadInput(fleet("--phones", "3", "--dry-run"), "fleet needs a cluster: --tftp HOST[:PORT] or --sim CLUSTER.yaml");
        FleetShardOptions.environment = Map.of("JOB_COMPLETION_INDEX", "two")::get;
        assertBadInput(fleet("--tftp", "127.0.0.1", "--shard-count", "4", "--dry-run"), "JOB_COMPLETION_INDEX='two' is not a shard index");
    }

    @Test
    void aDryRunChecksTheInputsItWouldUse() throws Exception {
        Path devices = tmp.resolve("devices.csv");
        Files.writeString(devices, "mac,model\n001122334455,7970\nnot-a-mac,7970\n");
        assertBadInput(fleet("--tftp", "127.0.0.1", "--devices", devices.toString(), "--dry-run"), "line 3", "'not-a-mac' is not a MAC");
        Path cluster = tmp.resolve("cluster.yaml");
        Files.writeString(cluster, "name: [unclosed\n");
        assertBadInput(fleet("--sim", cluster.toString(), "--dry-run"), cluster.toString());
        Cli.Result ok = fleet("--sim", REPO.resolve("config/clusters/lab.yaml").toString(), "--phones", "5", "--dry-run");
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("the whole fleet of run run-", ": 5 of 5 phones");
    }
}
