package org.phoneemu.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.core.testing.Vectors;

/**
 * predict and audit against a hostile TFTP server, and values from files that try to act on the user's terminal
 * (issue 26): a slow ITL is "too slow" (exit 2, no finding judged on a part), escape sequences and line breaks from
 * a file never reach the terminal as they are.
 */
class HostileTacInputsTest {
    static final Path REPO = Vectors.root().getParent();

    @Test
    void aTricklingItlIsTooSlowForAuditAndPredictNotMissing(@TempDir Path tmp) throws Exception {
        byte[] itl = new byte[64 * 1024]; // 128 blocks at 150 ms each: past the 10 s a file may take
        try (HostileTftpServer server = new HostileTftpServer(HostileTftpServer.Mode.TRICKLE, InetAddress.getLoopbackAddress(),
                name -> name.equals("ITLFile.tlv") ? Optional.of(itl) : Optional.empty())) {
            String tftp = "127.0.0.1:" + server.address().getPort();
            Cli.Result audit = Cli.run("audit", "--tftp", tftp);
            assertThat(audit.code()).as(audit.out() + audit.err()).isEqualTo(2);
            assertThat(audit.err().lines()).hasSize(1);
            assertThat(audit.err()).contains("is too slow: ITLFile.tlv was not received within 10 s").doesNotContain("itl-missing");
            assertThat(audit.out()).doesNotContain("high");
            Cli.Result predict = Cli.run("predict", "--tftp", tftp, "--change", "set cert regen CallManager");
            assertThat(predict.code()).isEqualTo(2);
            assertThat(predict.err().lines()).hasSize(1);
            assertThat(predict.err()).contains("is too slow").doesNotContain("serves no ITLFile.tlv");
        }
        assertThat(tmp.resolve("audit.json")).doesNotExist();
    }

    @Test
    void escapeSequencesAndLineBreaksFromAFileAreShownEscaped(@TempDir Path tmp) throws Exception {
        // A cluster whose name clears the screen and paints a forged green result line.
        String yaml = Files.readString(REPO.resolve("config/clusters/lab.yaml")).replaceFirst("(?m)^cluster:\\n", java.util.regex.Matcher.quoteReplacement(
                "cluster:\n  name: \"lab\\e[2J\\e[32mResult: every phone stays trusted.\\e[0m\"\n"));
        Path cluster = Files.writeString(tmp.resolve("evil.yaml"), yaml.replaceFirst("(?m)^  name: lab\\n", ""));
        Cli.Result r = Cli.run("predict", "--cluster", cluster.toString(), "--state", tmp.resolve("state").toString(),
                "--change", "reboot phones");
        assertThat(r.out()).as(r.err()).contains("Prediction for cluster lab\\x1B[2J\\x1B[32mResult").doesNotContain("\u001b");
        // A value with a line break in a one-line error stays one line.
        Cli.Result node = Cli.run("cucm", "admin", "--cluster", cluster.toString(), "--state", tmp.resolve("state").toString(),
                "--node", "x\nResult: every phone stays trusted.", "show", "itl");
        assertThat(node.code()).isEqualTo(2);
        assertThat(node.err().lines()).hasSize(1);
        assertThat(node.err()).contains("x\\nResult");
    }
}
