package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.testing.Vectors;

/**
 * Issue 26: the first run of {@code ./phone-emu} builds the jar, and that build wrote raw escape codes
 * ({@code ESC[0m}) to the terminal although Maven ran with {@code -B -q -Dstyle.color=never}. The launcher's own
 * Maven call, on a small module of this repository, must write no escape code at all.
 */
class LauncherBuildTest {
    @Test
    void theLaunchersMavenCallWritesNoEscapeCode() throws Exception {
        Path repo = Vectors.root().getParent();
        // The launcher's maven_quiet function as it is in the script, run on one small module (offline, no tests).
        String script = "eval \"$(sed -n '/^maven_quiet()/,/^}/p' phone-emu)\" && maven_quiet -o -DskipTests -pl wire-codec package";
        Process p = new ProcessBuilder("bash", "-c", script).directory(repo.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("what the build printed").doesNotContain("\u001b");
    }
}
