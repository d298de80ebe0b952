package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;

/**
 * The first run of {@code ./phone-emu} builds the jar, and that build wrote raw escape codes ({@code ESC[0m}) to
 * the terminal although Maven ran with {@code -B -q -Dstyle.color=never}. Maven's jansi writes that reset only when
 * its output is a terminal, so the launcher's Maven call runs here under a pseudo-terminal ({@code script}, from
 * util-linux), on a project of one empty pom in a temporary folder (not this repository: nothing of it is rebuilt),
 * and must write no escape code at all. Without the launcher's {@code -Djansi.noreset=true} it writes four.
 */
class LauncherBuildTest {
    @Test
    void theLaunchersMavenCallWritesNoEscapeCodeToATerminal(@TempDir Path tmp) throws Exception {
        Path launcher = Vectors.root().getParent().resolve("phone-emu");
        Files.writeString(tmp.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>t</groupId><artifactId>t</artifactId><version>1</version><packaging>pom</packaging></project>\n");
        // The launcher's maven_quiet function as it is in the script, on the empty project (offline, nothing to build).
        Files.writeString(tmp.resolve("run.sh"), "eval \"$(sed -n '/^maven_quiet()/,/^}/p' '" + launcher + "')\"\n"
                + "maven_quiet -o validate\n");
        Process p = new ProcessBuilder("script", "-qec", "bash run.sh", "/dev/null").directory(tmp.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("what the build printed on the terminal").doesNotContain("\u001b");
    }
}
