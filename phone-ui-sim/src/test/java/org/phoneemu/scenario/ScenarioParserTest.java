package org.phoneemu.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser takes its expectation keys from {@link Expectation}; what it accepts, the runner can check. */
class ScenarioParserTest {
    @TempDir
    Path dir;

    private Scenario parse(String steps) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "name: t\ncluster: c.yaml\nphones: [\"SEP00:11:22:aa:bb:cc\"]\nsteps:\n" + steps);
        return ScenarioParser.parse(f);
    }

    @Test
    void everyExpectationKeyParsesInFileOrder() throws Exception {
        StringBuilder steps = new StringBuilder("  - expect:\n      phone: \"001122aabbcc\"\n");
        for (Expectation e : Expectation.values()) {
            steps.append("      ").append(e.key()).append(": x\n");
        }
        Scenario s = parse(steps.toString());
        assertThat(s.phones()).containsExactly("001122AABBCC");
        Scenario.Step.Expect expect = (Scenario.Step.Expect) s.steps().get(0);
        assertThat(expect.target()).isEqualTo("001122AABBCC");
        assertThat(expect.checks().keySet()).containsExactly(Expectation.values());
        assertThat(expect.checks().values()).allMatch("x"::equals);
    }

    @Test
    void anUnknownKeyNamesTheKnownOnes() {
        assertThatThrownBy(() -> parse("  - expect:\n      verdit: trusted\n"))
                .isInstanceOf(ScenarioParser.ScenarioException.class)
                .hasMessageEndingWith("s.yaml: step 1: unknown expectation 'verdit' (known: config, configFrom, configOver, ctl, fellBack, itl, "
                        + "itlSigner, lastStatus, log, lsc, noLog, noStatus, phone, press, registered, state, status, tvsContacts, verdict)");
    }

    @Test
    void aConfigExpectationKeepsItsMapping() throws Exception {
        Scenario.Step.Expect expect = (Scenario.Step.Expect) parse("  - expect:\n      config:\n        settingsAccess: 0\n")
                .steps().get(0);
        assertThat(expect.checks()).containsEntry(Expectation.CONFIG, Map.of("settingsAccess", 0));
    }

    @Test
    void aCapfStepKeepsItsSettingsAndNeedsAPhone() throws Exception {
        Scenario.Step.Capf capf = (Scenario.Step.Capf) parse(
                "  - capf: {phone: \"001122aabbcc\", operation: install, authMode: authString, authString: \"2468\", enter: \"2468\"}\n")
                .steps().get(0);
        assertThat(capf.target()).isEqualTo("001122AABBCC");
        assertThat(capf.settings()).containsEntry("operation", "install").containsEntry("enter", "2468").doesNotContainKey("phone");
        assertThatThrownBy(() -> parse("  - capf: {operation: install}\n")).hasMessageContaining("capf needs a phone");
        assertThatThrownBy(() -> parse("  - capf: {phone: \"001122aabbcc\", operaton: install}\n"))
                .hasMessageContaining("unknown capf setting 'operaton'");
    }

    @Test
    void aBadMacIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> parse("  - boot: \"0011\"\n"))
                .hasMessageEndingWith("s.yaml: step 1: '0011' is not a MAC address");
    }

    @Test
    void severalClustersAreNamedTheFirstIsHomeAndStepsMayNameOnlyThose() throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, "name: m\nclusters: {A: a.yaml, B: sub/b.yaml}\nsteps:\n"
                + "  - admin: {cluster: B, command: utils bulkcert export}\n  - move: {to: B, phone: \"001122aabbcc\"}\n  - move: A\n");
        Scenario s = ScenarioParser.parse(f);
        assertThat(s.home()).isEqualTo("A");
        assertThat(s.cluster()).isEqualTo(dir.resolve("a.yaml"));
        assertThat(s.clusters()).containsEntry("B", dir.resolve("sub/b.yaml"));
        assertThat(((Scenario.Step.Admin) s.steps().get(0)).cluster()).isEqualTo("B");
        assertThat(s.steps().get(1)).isEqualTo(new Scenario.Step.Move(2, "001122AABBCC", "B"));
        assertThat(s.steps().get(2)).isEqualTo(new Scenario.Step.Move(3, "all", "A"));

        Files.writeString(f, "name: m\nclusters: {A: a.yaml}\nsteps:\n  - move: {to: C}\n");
        assertThatThrownBy(() -> ScenarioParser.parse(f)).hasMessageEndingWith("m.yaml: step 1: no cluster 'C' (clusters: A)");
        Files.writeString(f, "name: m\ncluster: a.yaml\nclusters: {A: a.yaml}\nsteps: []\n");
        assertThatThrownBy(() -> ScenarioParser.parse(f)).hasMessageContaining("not both");
        Files.writeString(f, "name: m\ncluster: a.yaml\nsteps:\n  - admin: {cluster: B, command: show itl}\n");
        assertThatThrownBy(() -> ScenarioParser.parse(f)).hasMessageEndingWith("step 1: no cluster 'B' (clusters: A)");
    }
}
