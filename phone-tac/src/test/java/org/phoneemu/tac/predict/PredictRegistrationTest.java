package org.phoneemu.tac.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.tac.served.ClusterCopy;

/**
 * Predict says which phones would stop registering: each phone registers after its config over the offline network,
 * where CallManager's certificate meets the phone's own check and the REGISTER the simulated registrar's rules.
 */
class PredictRegistrationTest {
    static final Path MIXED = Vectors.root().getParent().resolve("config/scenarios/clusters/mixed-mode.yaml");
    static final Instant START = Instant.parse("2026-01-01T09:00:00Z");

    private static Prediction predict(Path tmp, Path cluster, String... steps) throws Exception {
        Path state = tmp.resolve("state");
        try (ClusterCopy c = ClusterCopy.open(cluster, tmp.resolve("none"), new VirtualClock(START))) {
            ClusterCopy.copyDirectory(c.stateDirectory(), state);
        }
        List<ChangeStep> change = java.util.Arrays.stream(steps).map(s -> ChangeStep.parse(s, Optional.empty())).toList();
        return Predictor.predict(new Predictor.Input(cluster, state, START, Optional.empty(), List.of(), change, RebootPolicy.EXPLICIT, false));
    }

    private static String text(Prediction p) {
        StringWriter w = new StringWriter();
        PredictionReport.print(p, new PrintWriter(w));
        return w.toString();
    }

    @Test
    void callManagerRegeneratedWithoutACtlUpdateStopsTheTlsPhoneRegistering(@TempDir Path tmp) throws Exception {
        Prediction p = predict(tmp, MIXED, "set cert regen CallManager", "reboot phones");

        // Before: the Encrypted phone over TLS (its CTL holds CallManager), the two non-secure ones over TCP.
        assertThat(p.before().phones()).extracting(PhoneOutcome::phone, PhoneOutcome::registration).containsExactly(
                org.assertj.core.groups.Tuple.tuple("SEP001122334455", new RegistrationVerdict.Registered("cucmpub.lab.example", "TCP")),
                org.assertj.core.groups.Tuple.tuple("SEP001122334466", new RegistrationVerdict.Registered("cucmpub.lab.example", "TCP")),
                org.assertj.core.groups.Tuple.tuple("SEP001122334477", new RegistrationVerdict.Registered("cucmpub.lab.example", "TLS")));
        // After the reboot every phone is still trusted (the new ITL through TVS), but the CTL still holds the old
        // CallManager certificate: the TLS phone refuses the new one and sends nothing.
        StepResult reboot = p.steps().get(1);
        assertThat(reboot.allTrusted()).isTrue();
        assertThat(p.stopRegistering(reboot)).singleElement().satisfies(o -> {
            assertThat(o.phone()).isEqualTo("SEP001122334477");
            assertThat(o.registration()).isInstanceOfSatisfying(RegistrationVerdict.Unreachable.class, u -> {
                assertThat(u.untrustedCallManager()).isTrue();
                assertThat(u.why()).contains("cucmpub.lab.example:5061/TLS UNTRUSTED_CERTIFICATE");
            });
        });
        assertThat(p.stopRegistering(p.after())).extracting(PhoneOutcome::phone).containsExactly("SEP001122334477");
        assertThat(p.everyPhoneStaysRegistered()).isFalse();
        // The exit code stays the phones' trust (docs/TAC.md).
        assertThat(p.exitCode()).isZero();

        String text = text(p);
        assertThat(text).contains("  would stop registering: SEP001122334477 (not registered: cucmpub.lab.example:5061/TLS UNTRUSTED_CERTIFICATE")
                .contains("Registration: 1 phone(s) that register now would stop registering after the change (SEP001122334477:");
        Map<String, Object> data = PredictionReport.toData(p);
        assertThat(data).containsEntry("everyPhoneStaysRegistered", false);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) data.get("steps");
        assertThat(steps.get(2).get("stopRegistering")).asList().singleElement().satisfies(e -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) e;
            assertThat(m).containsEntry("phone", "SEP001122334477");
            assertThat((Map<String, Object>) m.get("registration")).containsEntry("result", "unreachable").containsEntry("untrustedCallManager", true);
        });
    }

    @Test
    void whenNothingChangesEveryPhoneStillRegisters(@TempDir Path tmp) throws Exception {
        Prediction p = predict(tmp, MIXED, "reboot phones");

        for (StepResult s : List.of(p.before(), p.steps().get(0), p.after())) {
            assertThat(s.phones()).hasSize(3).allSatisfy(o -> assertThat(o.registration().registered()).as(o.phone()).isTrue());
            assertThat(p.stopRegistering(s)).isEmpty();
        }
        assertThat(p.everyPhoneStaysRegistered()).isTrue();
        assertThat(text(p)).contains("Registration: no phone stops registering (3 of 3 register after the change).")
                .doesNotContain("would stop registering:");
        assertThat(PredictionReport.toData(p)).containsEntry("everyPhoneStaysRegistered", true);
    }
}
