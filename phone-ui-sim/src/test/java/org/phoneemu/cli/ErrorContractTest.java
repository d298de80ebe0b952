package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;

/**
 * The README's contract for a user's mistakes, command by command: exit 0 success, 1 refused, 2 bad input or
 * unreachable, and exactly one line on stderr that says what is wrong (never "internal error", never the JDK's
 * exception text).
 */
class ErrorContractTest {
    @TempDir
    static Path shared;
    static Path plainFile;
    static Path binary;
    static Path clusterState;

    static Path repo() {
        return Vectors.root().getParent();
    }

    static String labCluster() {
        return repo().resolve("config/clusters/lab.yaml").toString();
    }

    @BeforeAll
    static void files() throws Exception {
        plainFile = Files.writeString(shared.resolve("plain.txt"), "not a folder\n");
        byte[] noise = new byte[3000];
        new Random(7).nextBytes(noise);
        noise[0] = (byte) 0xC3; // not UTF-8 on its own
        noise[1] = (byte) 0x28;
        binary = Files.write(shared.resolve("noise.bin"), noise);
        clusterState = shared.resolve("cluster-state");
    }

    /** Exit code {@code code} and one stderr line holding {@code text}. */
    static Cli.Result assertOneLine(Cli.Result r, int code, String text) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(code);
        assertThat(r.err().lines()).as("stderr").hasSize(1);
        assertThat(r.err()).startsWith("phone-emu: ").contains(text)
                .doesNotContain("internal error").doesNotContain("Exception").doesNotContain("Input length");
        return r;
    }

    static Cli.Result admin(String... command) {
        String[] args = new String[6 + command.length];
        args[0] = "cucm";
        args[1] = "admin";
        args[2] = "--cluster";
        args[3] = labCluster();
        args[4] = "--state";
        args[5] = clusterState.toString();
        System.arraycopy(command, 0, args, 6, command.length);
        return Cli.run(args);
    }

    @Test
    void aFileWhereAFolderIsNeededIsOneLineAndExit2() {
        assertOneLine(Cli.run("cucm", "files", "--cluster", labCluster(), "--state", clusterState.toString(), "--out", plainFile.toString()),
                2, "--out " + plainFile + ": is a file, not a folder");
        assertOneLine(Cli.run("cucm", "files", "--cluster", labCluster(), "--state", clusterState.toString(),
                "--out", plainFile.resolve("sub").toString()), 2, "a file is in the way");
        assertOneLine(Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334455", "--state", plainFile.toString()),
                2, "--state " + plainFile + ": is a file, not a folder");
        assertOneLine(Cli.run("lab", "--work", plainFile.toString()), 2, "--work " + plainFile + ": is a file, not a folder");
        assertOneLine(Cli.run("cucm", "admin", "--cluster", labCluster(), "--state", plainFile.toString(), "show", "itl"),
                2, "--state " + plainFile + ": is a file, not a folder");
        assertOneLine(Cli.run("scenario", repo().resolve("config/scenarios/s01-first-boot.yaml").toString(), "--junit", shared.toString()),
                2, "--junit " + shared + ": is a folder, not a file");
        assertThat(plainFile).isRegularFile();
    }

    @Test
    void labNeverWipesAFolderThatIsNotALabs(@TempDir Path mine) throws Exception {
        Path precious = Files.writeString(mine.resolve("thesis.txt"), "years of work");
        assertOneLine(Cli.run("lab", "--work", mine.toString()), 2, "holds files that are not a lab's (thesis.txt)");
        assertThat(precious).hasContent("years of work");
    }

    @Test
    void labOnATakenPortSaysSoWithExit2(@TempDir Path work) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            String yaml = Files.readString(Path.of(labCluster()))
                    .replaceFirst("ports: \\{tftp: 0, tvs: 0, https: 0\\}", "ports: {tftp: 0, tvs: " + taken.getLocalPort() + ", https: 0}");
            Path cluster = Files.writeString(work.resolve("taken.yaml"), yaml);
            assertOneLine(Cli.run("lab", "--cluster", cluster.toString(), "--work", work.resolve("w").toString()),
                    2, "cannot start the cluster");
        }
    }

    @Test
    void everyCucmRefusalExits1WithCucmsReason() throws Exception {
        assertThat(admin("show", "itl").code()).isZero();
        Cli.Result notPublisher = assertOneLine(admin("--node", "cucmsub", "utils", "itl", "reset", "localkey"), 1,
                "'utils itl reset localkey' refused: This is not a Publisher Node");
        assertThat(notPublisher.out()).contains("This is not a Publisher Node");
        assertOneLine(admin("utils", "itl", "reset", "remotekey", binary.toString()), 1, "cannot open the PKCS#12 file");
        assertOneLine(admin("utils", "itl", "reset", "remotekey", shared.resolve("missing.p12").toString()), 1, "File not found");
        assertOneLine(admin("file", "get", "tftp", "nothing.here"), 1, "refused: File not found");
        assertOneLine(admin("file", "get", "tftp", "ITLRecovery.p12", plainFile.toString()), 1, plainFile + ": is a file, not a folder");
        assertOneLine(admin("set", "cert", "regen", "Nothing"), 1, "Unknown certificate unit Nothing");
        assertOneLine(admin("no", "such", "command"), 1, "Invalid command: no such command");
    }

    @Test
    void theHoldTimerIsARefusalToo(@TempDir Path state) {
        Cli.Result regen = Cli.run("cucm", "admin", "--cluster", labCluster(), "--state", state.toString(), "set", "cert", "regen", "CallManager");
        assertThat(regen.code()).as(regen.err()).isZero();
        assertOneLine(Cli.run("cucm", "admin", "--cluster", labCluster(), "--state", state.toString(), "set", "cert", "regen", "TVS"),
                1, "Please re-try regnerating TVS certificate at a later time");
    }

    @Test
    void inputFilesAreDescribedNotTheJavaException() {
        assertOneLine(Cli.run("tvs-verify", "--tvs", "127.0.0.1:9", "--tvs-cert", binary.toString(), binary.toString()),
                2, binary + ": not a text file (binary, or not UTF-8 text)");
        assertOneLine(Cli.run("scenario", binary.toString()), 2, "scenario file " + binary + ": not a text file");
        assertOneLine(Cli.run("scenario", shared.resolve("nope.yaml").toString()), 2, "scenario file " + shared.resolve("nope.yaml") + ": no such file");
        assertOneLine(Cli.run("cucm", "admin", "--cluster", binary.toString(), "show", "itl"), 2, "cluster file " + binary + ": not a text file");
        assertOneLine(Cli.run("lab", "--cluster", shared.resolve("nope.yaml").toString(), "--work", shared.resolve("w").toString()),
                2, "cluster file " + shared.resolve("nope.yaml") + ": no such file");
        assertOneLine(Cli.run("dump", shared.toString()), 2, shared + ": is a folder, not a file");
        assertOneLine(Cli.run("decrypt", binary.toString(), "--key", binary.toString()), 2, "malformed file at byte 0");
    }

    @Test
    void optionsAreCheckedBeforeAnythingRuns() {
        assertOneLine(Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334455", "--model", "foo"), 2,
                "--model must be a phone model such as 7970, 8845 or 7965G, not 'foo'");
        assertOneLine(Cli.run("boot", "--tftp", "", "--mac", "001122334455"), 2, "--tftp needs a host name or address, not an empty value");
        assertOneLine(Cli.run("boot", "--tftp", ":69", "--mac", "001122334455"), 2, "--tftp needs a host before the port");
        assertOneLine(Cli.run("boot", "--tftp", "127.0.0.1:70000", "--mac", "001122334455"), 2, "--tftp: port out of range");
        assertOneLine(Cli.run("boot", "--tftp", "no-such-host.invalid", "--mac", "001122334455"), 2, "--tftp: cannot resolve the host");
        assertOneLine(Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "xyz"), 2, "--mac must be 12 hex digits");
        assertOneLine(Cli.run("tvs-verify", "--tvs", "127.0.0.1:9", "--tvs-cert", binary.toString(), "--device", "my-phone", binary.toString()),
                2, "--device must be a phone's device name CP-<model>-SEP<MAC>");
        assertOneLine(Cli.run("lab", "--phones", "0"), 2, "--phones must be between 1 and 100000");
        assertOneLine(Cli.run("lab", "--phones", "abc"), 2, "'abc' is not an int (try 'phone-emu lab --help')");
        assertOneLine(Cli.run("cucm", "nothing"), 2, "Unmatched argument at index 1: 'nothing'");
        assertOneLine(Cli.run("cucm", "serve", "--cluster", labCluster(), "--state", clusterState.toString(), "--node", "nonode"),
                2, "--node: no node 'nonode'");
        assertOneLine(admin("--node", "nonode", "show", "itl"), 2, "no node 'nonode'");
    }

    @Test
    void aFolderThatIsNotAFlashIsAnErrorNotAnEmptyPhone(@TempDir Path notAPhone) throws Exception {
        Files.writeString(notAPhone.resolve("notes.txt"), "x");
        for (String menu : new String[] {"status", "trust-list", "erase-itl", "erase-ctl", "factory-reset"}) {
            assertOneLine(Cli.run("phone", menu, "--state", notAPhone.toString()), 2, "not a phone's flash");
        }
        assertOneLine(Cli.run("phone", "status", "--state", plainFile.toString()), 2, "is a file, not a phone's flash folder");
        assertOneLine(Cli.run("phone", "status", "--state", notAPhone.resolve("none").toString()), 2, "no such folder");
        try (var list = Files.list(notAPhone)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }
}
