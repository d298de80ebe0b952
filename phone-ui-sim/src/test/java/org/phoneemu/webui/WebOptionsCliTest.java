package org.phoneemu.webui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;

/** The --web options are checked before anything starts: one line on stderr, exit 2. */
class WebOptionsCliTest {
    @TempDir
    Path tmp;

    @Test
    void labRefusesANonLoopbackBindWithoutAToken() {
        Cli.Result r = Cli.run("lab", "--work", tmp.resolve("lab").toString(), "--web", "0", "--web-bind", "0.0.0.0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("phone-emu: --web-bind 0.0.0.0 is not a loopback address: give --web-token too")
                .doesNotContain("\n").doesNotContain("Exception");
        assertThat(r.out()).doesNotContain("Generating");
    }

    @Test
    void bootRefusesItToo() {
        Cli.Result r = Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334455", "--state", tmp.resolve("p").toString(),
                "--web", "0", "--web-bind", "0.0.0.0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("give --web-token too");
    }

    @Test
    void webOptionsWithoutWebAndAdminOutsideTheLabAreUsageErrors() {
        assertThat(Cli.run("lab", "--work", tmp.toString(), "--web-admin").err()).contains("need --web PORT");
        Cli.Result boot = Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334455", "--state", tmp.resolve("p").toString(),
                "--web", "0", "--web-admin");
        assertThat(boot.code()).isEqualTo(2);
        assertThat(boot.err()).contains("--web-admin needs the built-in simulated cluster");
        assertThat(Cli.run("lab", "--work", tmp.toString(), "--web", "0", "--web-token", "short").err()).contains("8 to 256");
    }
}
