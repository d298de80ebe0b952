package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet --ramp FILE} as a user sees it: the real CLI in a JVM of its own. */
class FleetRampTest {
    @TempDir
    Path tmp;

    @Test
    void aBadRampFileIsExit2WithTheLineNamedBeforeAnythingStarts() throws Exception {
        Path ramp = Files.writeString(tmp.resolve("storm.csv"), "time,rate\n0s,10\n30s,-5\n");
        try (PhoneEmuProcess p = PhoneEmuProcess.start(tmp, Map.of(), "fleet", "--tftp", "127.0.0.1:9", "--phones", "2",
                "--ramp", ramp.toString(), "--flash", "memory", "--key-pool", tmp.resolve("keys").toString())) {
            assertThat(p.await(600)).as(p.output()).isEqualTo(2);
            assertThat(p.output().lines().toList()).as(p.output()).singleElement().isEqualTo(
                    "phone-emu: --ramp: " + ramp + " line 3: a rate is phones per second (e.g. 50 or 12.5), not '-5'");
        }
    }

    @Test
    void theDryRunSaysTheProfileOfTheFile() throws Exception {
        Path ramp = Files.writeString(tmp.resolve("storm.yaml"), "ramp:\n  - {at: 0s, phones: 0}\n  - {at: 10s, phones: 100}\n"
                + "  - {at: 20s, phones: 400}\n");
        try (PhoneEmuProcess p = PhoneEmuProcess.start(tmp, Map.of(), "fleet", "--tftp", "127.0.0.1:9", "--phones", "400",
                "--ramp", ramp.toString(), "--dry-run")) {
            assertThat(p.await(600)).as(p.output()).isEqualTo(0);
            assertThat(p.output()).contains("ramp: 10 phones/s, 30 from 10 s, at most");
        }
        try (PhoneEmuProcess p = PhoneEmuProcess.start(tmp, Map.of(), "fleet", "--tftp", "127.0.0.1:9", "--ramp", ramp.toString(),
                "--rate", "5", "--dry-run")) {
            assertThat(p.await(600)).as(p.output()).isEqualTo(2);
            assertThat(p.output()).contains("--ramp and --rate are two ways to give the ramp: choose one");
        }
    }
}
