package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.core.testing.Vectors;

/**
 * The table of docs/ERRORS.md, row by row: each command with its mistake gives the exit code and exactly the one
 * stderr line the table says. The rows are read from the document, so the table and the program cannot drift.
 */
class ErrorTableTest {
    static final Path REPO = Vectors.root().getParent();
    private static final Pattern ROW = Pattern.compile("^\\| `(.+?)` \\| (\\d) \\| `(.+)` \\|$");

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixtures() throws Exception {
        String lab = Files.readString(REPO.resolve("config/clusters/lab.yaml"));
        Files.writeString(dir.resolve("banana.csv"), "001122334456,banana\n");
        Files.writeString(dir.resolve("lsczero.csv"), "001122334455,7970,/dev/zero\n");
        byte[] noise = new byte[3000];
        new Random(7).nextBytes(noise);
        noise[0] = (byte) 0xC3;
        noise[1] = (byte) 0x28;
        Files.write(dir.resolve("noise.bin"), noise);
        Files.writeString(dir.resolve("long.csv"), "mac,model\n" + "0".repeat(10_000) + "\n");
        Files.writeString(dir.resolve("recursive.yaml"), "a: &a [*a]\n");
        Files.writeString(dir.resolve("syntax.yaml"), "cluster:\n  name: x\n nodes: [\n");
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("sparse.yaml").toFile(), "rw")) {
            f.setLength(700L << 20); // sparse: no disk used, but 700 MB to a reader that trusts the size
        }
        Files.writeString(dir.resolve("devzero.yaml"), lab.replaceFirst("(?m)^(\\s+)model: 7970$", "$1model: 7970\n$1lscCertificate: /dev/zero"));
        Files.writeString(dir.resolve("model.yaml"), lab.replaceFirst("(?m)model: 7970$", "model: 99999999"));
        Files.writeString(dir.resolve("address.yaml"), lab.replaceFirst("address: 127.0.0.2", "address: 10.99.99.99"));
        // a key pool whose simulated manufacturing CA is no CA: refused and kept, never replaced
        Files.writeString(Files.createDirectories(dir.resolve("badpool")).resolve("manufacturing-ca.pem"), "not a PEM file\n");
        // a saved cluster state whose administrator-set security mode is no mode
        Files.writeString(Files.createDirectories(dir.resolve("badmode")).resolve("state.properties"), "device.SEP001122334455.securityMode=7\n");
    }

    static Stream<Arguments> rows() throws Exception {
        List<String> lines = Files.readAllLines(REPO.resolve("docs/ERRORS.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith("<!-- error table")).findFirst().orElseThrow());
        int end = lines.indexOf("<!-- end of error table -->");
        List<Arguments> out = new ArrayList<>();
        for (String l : lines.subList(start + 1, end)) {
            Matcher m = ROW.matcher(l);
            if (m.matches()) {
                out.add(Arguments.of(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
            }
        }
        assertThat(out).as("rows of docs/ERRORS.md").hasSizeGreaterThan(15);
        return out.stream();
    }

    /** The fixture names of the table, as paths in the test's folder. */
    static String fixture(String text) {
        String s = text;
        for (String f : List.of("banana.csv", "lsczero.csv", "noise.bin", "long.csv", "recursive.yaml", "syntax.yaml", "sparse.yaml", "devzero.yaml",
                "model.yaml", "address.yaml")) {
            s = s.replace(f, dir.resolve(f).toString());
        }
        return s.replaceAll("\\bDIR\\b", Matcher.quoteReplacement(dir.toString()));
    }

    /** Words split at blanks; '…' quotes a word with blanks. */
    static String[] words(String command) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(command);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : fixture(m.group(2)));
        }
        return out.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyMistakeIsItsExitCodeAndOneLine(String command, int code, String line) {
        Cli.Result r = Cli.run(words(command));
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(code);
        assertThat(r.err()).isEqualTo("phone-emu: " + fixture(line) + "\n");
    }

    @Test
    void twoAdminCommandsForOneRoundAreBothKeptInOrder() {
        assertThat(UserInput.adminRounds("--admin-before", List.of("1=set cert regen CallManager", "2=utils itl reset localkey",
                "1=set cert regen TVS"), 2)).isEqualTo(Map.of(1, List.of("set cert regen CallManager", "set cert regen TVS"),
                2, List.of("utils itl reset localkey")));
    }

    @Test
    void anUnusableManufacturingCaIsKeptAsItWas() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("badpool-kept"));
        Path ca = Files.writeString(pool.resolve("manufacturing-ca.pem"), "not a PEM file\n");
        Cli.Result r = Cli.run("fleet", "--sim", "config/clusters/lab.yaml", "--key-pool", pool.toString(), "--phones", "1",
                "--flash", "memory", "--work", dir.resolve("w-kept").toString(), "--progress", "0");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("phone-emu: " + ca + ": not a usable simulated manufacturing CA");
        assertThat(Files.readString(ca)).isEqualTo("not a PEM file\n");
    }

    @Test
    void auditWritesNoFileUnlessAsked() {
        Path cwd = Path.of("").toAbsolutePath();
        Cli.Result r = Cli.run("audit", "--cluster", "config/clusters/lab.yaml", "--state", dir.resolve("audit-state").toString());
        assertThat(r.code()).as(r.err()).isIn(0, 1);
        assertThat(r.out()).doesNotContain("Findings written");
        assertThat(cwd.resolve("audit.json")).doesNotExist();
    }

    @Test
    void aJsonReportThatCannotBeWrittenLeavesTheOldOneWhole() throws Exception {
        Path json = Files.writeString(dir.resolve("old.json"), "{\"old\": true}\n");
        // Its temporary file cannot be made (a folder is in the way): the write fails before the rename.
        Files.createDirectories(dir.resolve("old.json.tmp").resolve("x"));
        Cli.Result audit = Cli.run("audit", "--cluster", "config/clusters/lab.yaml", "--state", dir.resolve("json-state").toString(),
                "--json", json.toString());
        assertThat(audit.code()).as(audit.err()).isEqualTo(2);
        assertThat(audit.err().lines().reduce((a, b) -> b).orElse("")).startsWith("phone-emu: cannot write " + json + ": ");
        Cli.Result predict = Cli.run("predict", "--cluster", "config/clusters/lab.yaml", "--state", dir.resolve("json-state").toString(),
                "--change", "reboot phones", "--json", json.toString());
        assertThat(predict.code()).as(predict.err()).isEqualTo(2);
        assertThat(predict.err().lines().reduce((a, b) -> b).orElse("")).startsWith("phone-emu: cannot write " + json + ": ");
        assertThat(Files.readString(json)).isEqualTo("{\"old\": true}\n");
    }

    @Test
    void bootTakesAMacAsPhonesWriteIt() {
        Cli.Result r = Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "00:11:22:33:44:55", "--model", "cp-8845",
                "--tftp-deadline", "1", "--state", dir.resolve("flash").toString());
        assertThat(r.err()).doesNotContain("--mac").doesNotContain("--model");
        assertThat(r.out()).contains("SEP001122334455");
    }

    @Test
    void predictSaysWhichSavedStateItUses() {
        Path state = dir.resolve("predict-state");
        assertThat(Cli.run("cucm", "admin", "--cluster", "config/clusters/lab.yaml", "--state", state.toString(), "show", "itl").code()).isZero();
        Cli.Result r = Cli.run("predict", "--cluster", "config/clusters/lab.yaml", "--state", state.toString(), "--change", "reboot phones");
        assertThat(r.out().lines().findFirst().orElse("")).contains("the saved state in " + state);
    }

    @Test
    void aTakenPortIsOneLineAndNoLogLineInARealProcess() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            String yaml = Files.readString(REPO.resolve("config/clusters/lab.yaml"))
                    .replaceFirst("ports: \\{tftp: 0, tvs: 0, https: 0\\}", "ports: {tftp: 0, tvs: " + taken.getLocalPort() + ", https: 0}");
            Path cluster = Files.writeString(dir.resolve("taken.yaml"), yaml);
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path err = dir.resolve("taken.err");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-XX:TieredStopAtLevel=1", "-cp", cp, PhoneEmu.class.getName(), "lab", "--cluster", cluster.toString(),
                    "--work", dir.resolve("taken-work").toString())
                    .directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(Files.readString(err)).isEqualTo("phone-emu: cannot start the cluster: cannot bind TVS to 127.0.0.2:" + taken.getLocalPort()
                    + ": Address already in use (the port is taken: stop what uses it, or set ports to 0 in the cluster file for ephemeral ports)\n");
            // fleet --sim words it the same way (it had a hint of its own, a guess whatever the cause)
            Cli.Result fleet = Cli.run("fleet", "--sim", cluster.toString(), "--phones", "1", "--flash", "memory");
            assertThat(fleet.code()).as(fleet.err()).isEqualTo(2);
            assertThat(fleet.err()).isEqualTo("phone-emu: cannot start the cluster: cannot bind TVS to 127.0.0.2:" + taken.getLocalPort()
                    + ": Address already in use (the port is taken: stop what uses it, or set ports to 0 in the cluster file for ephemeral ports)\n");
        }
    }
}
