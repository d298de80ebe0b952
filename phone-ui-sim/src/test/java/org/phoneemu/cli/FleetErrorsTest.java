package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;

/** The fleet's mistakes, seen as a user sees them: the real CLI in a JVM of its own, exit code and the whole output. */
class FleetErrorsTest {
    private static final Path REPO = Vectors.root().getParent();

    @TempDir
    Path tmp;

    @Test
    void aTakenTftpPortIsOneLineAndExit2WithoutALogWarning() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            String yaml = Files.readString(REPO.resolve("config/clusters/lab.yaml"))
                    .replaceFirst("ports: \\{tftp: 0, tvs: 0, https: 0\\}", "ports: {tftp: " + taken.getLocalPort() + ", tvs: 0, https: 0}");
            Path cluster = Files.writeString(tmp.resolve("taken.yaml"), yaml);
            try (PhoneEmuProcess p = PhoneEmuProcess.start(tmp, Map.of(), "fleet", "--sim", cluster.toString(), "--phones", "2",
                    "--flash", "memory", "--work", tmp.resolve("w").toString(), "--key-pool", tmp.resolve("keys").toString())) {
                assertThat(p.await(600)).as(p.output()).isEqualTo(2); // a hang guard; the cluster's set-up is slow on a busy machine
                List<String> problems = p.output().lines().filter(l -> !l.startsWith("Starting the simulated cluster")).toList();
                assertThat(problems).as(p.output()).hasSize(1);
                assertThat(problems.get(0)).startsWith("phone-emu: cannot start the cluster: ")
                        .contains(":" + taken.getLocalPort(), "in use (the port is taken").doesNotContain("Exception");
            }
        }
    }

    @Test
    void aMillionPhoneDevicesFileIsRefusedUpFrontNotAnOutOfMemoryError() throws Exception {
        Path csv = tmp.resolve("million.csv");
        try (var w = Files.newBufferedWriter(csv)) {
            w.write("mac,model\n");
            for (int i = 0; i < 1_000_000; i++) {
                w.write(String.format(java.util.Locale.ROOT, "%012X,7970%n", 0x00AB00000000L + i));
            }
        }
        // The child JVM has -Xmx256m, as a container with a small heap would.
        try (PhoneEmuProcess p = PhoneEmuProcess.start(tmp, Map.of(), "fleet", "--tftp", "127.0.0.1:9", "--devices", csv.toString(),
                "--flash", "memory", "--key-pool", tmp.resolve("keys").toString())) {
            assertThat(p.await(600)).as(p.output()).isEqualTo(2);
            assertThat(p.output().lines().toList()).as(p.output()).singleElement().satisfies(l -> assertThat(l)
                    .startsWith("phone-emu: 1000000 phones need about ").contains("--shard-count").doesNotContain("Exception"));
        }
    }

    /** A shard report as {@code fleet --shard-count 1} writes it, of one run of two phones. */
    private Path shard(String verdict) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("shard-" + verdict));
        Files.writeString(d.resolve("shard.properties"), String.join("\n", "run=r1", "start.at=", "shard.index=0", "shard.count=1",
                "started=2026-12-06T06:00:00Z", "phones.run=2", "phones.shard=2", "expected=trusted", "options=--phones=2") + "\n");
        Files.writeString(d.resolve("phones.csv"), "mac,model,verdict,trust_state,itl_md5,itl_signer,last_status,boot_ms,error,config_file\n"
                + "00AB00000000,7970," + verdict + ",-,,,,0,,\n00AB00000001,7970," + verdict + ",-,,,,0,,\n");
        Files.writeString(d.resolve("junit.xml"), "<testsuite><testcase name=\"SEP00AB00000000\"/><testcase name=\"SEP00AB00000001\"/></testsuite>\n");
        Files.writeString(d.resolve("latency.hlog"), "#[Histogram log format version 1.3]\n");
        return d;
    }

    private static void assertOneLine(Cli.Result r, int code, String... contains) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(code);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(contains).doesNotContain("Exception", "internal error");
    }

    @Test
    void mergeRefusesDamagedPartsWithOneLineAndExit2() throws Exception {
        Path ok = shard("trusted");
        assertThat(Cli.run("fleet", "merge", ok.toString(), "--out", tmp.resolve("m0").toString()).code()).isZero();

        Path csv = ok.resolve("phones.csv");
        String good = Files.readString(csv);
        Files.writeString(csv, good.replace("00AB00000001,7970,trusted,-,,,,0,,", "00AB00000001"));
        assertOneLine(Cli.run("fleet", "merge", ok.toString(), "--out", tmp.resolve("m1").toString()), 2, "line 3: 1 columns");

        byte[] bad = good.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bad[bad.length - 4] = (byte) 0xC3;
        Files.write(csv, bad);
        assertOneLine(Cli.run("fleet", "merge", ok.toString(), "--out", tmp.resolve("m2").toString()), 2, "not UTF-8 text");

        Files.delete(csv);
        Files.createDirectory(csv);
        assertOneLine(Cli.run("fleet", "merge", ok.toString(), "--out", tmp.resolve("m3").toString()), 2, "a folder, not a file");
        Files.delete(csv);
        Files.writeString(csv, good);

        Files.writeString(ok.resolve("junit.xml"), "<testsuite>" + "<x>".repeat(10_000) + "</x>".repeat(10_000) + "</testsuite>");
        assertOneLine(Cli.run("fleet", "merge", ok.toString(), "--out", tmp.resolve("m4").toString()), 2, "nested deeper than 16");
        assertThat(tmp.resolve("m1")).doesNotExist();
    }

    @Test
    void mergeOfAStoppedShardExits4WithOneLine() throws Exception {
        Cli.Result r = Cli.run("fleet", "merge", shard("not-booted").toString(), "--out", tmp.resolve("m").toString());
        assertOneLine(r, 4, "2 of 2 phones did not finish (0 interrupted, 2 not booted)");
        assertThat(Files.readString(tmp.resolve("m/summary.json"))).contains("\"not-booted\": 2");
    }
}
