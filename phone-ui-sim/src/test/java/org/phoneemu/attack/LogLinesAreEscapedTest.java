package org.phoneemu.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.PhoneEmu;
import org.phoneemu.core.testing.Vectors;

/**
 * What a server sends reaches the terminal through log lines too (PHONE_EMU_LOG_LEVEL=DEBUG shows the TFTP client's
 * view of every error): the console pattern escapes control characters there as everywhere else, so a served error
 * message can neither act on the terminal nor forge a line of its own. Runs the CLI in a JVM of its own, with the
 * logback configuration of the jar.
 */
class LogLinesAreEscapedTest {
    /** The jar's own configuration (the test class path also holds a logback-test.xml, which would win). */
    static final Path LOGBACK = Vectors.root().getParent().resolve("phone-ui-sim/src/main/resources/logback.xml");

    @Test
    void aServedErrorMessageWithAnEscSequenceAndALineBreakIsLoggedEscaped(@TempDir Path tmp) throws Exception {
        try (HostileTftpServer server = new HostileTftpServer(HostileTftpServer.Mode.HOSTILE_ERROR, InetAddress.getLoopbackAddress(),
                name -> Optional.empty())) {
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path out = tmp.resolve("out.txt");
            ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + LOGBACK, "-cp", cp, PhoneEmu.class.getName(), "boot", "--tftp", "127.0.0.1:" + server.address().getPort(),
                    "--mac", "001122334455", "--state", tmp.resolve("flash").toString(), "--tftp-deadline", "5")
                    .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            b.environment().put("PHONE_EMU_LOG_LEVEL", "DEBUG");
            Process p = b.start();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String all = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(all).as("the served message was logged").contains("File \\x1B[2J\\x1B[32mnot found\\nFORGED: Result: trusted");
            assertThat(all).doesNotContain("\u001b");
            assertThat(all.lines()).noneMatch(l -> l.startsWith("FORGED"));
            // The configuration itself loads without a warning (logback would then print its whole status).
            assertThat(all).doesNotContain("|-WARN", "|-INFO", "|-ERROR");
        }
    }
}
