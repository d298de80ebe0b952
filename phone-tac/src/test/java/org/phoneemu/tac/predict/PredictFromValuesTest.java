package org.phoneemu.tac.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.trust.TrustListOutcome;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.ConfigStep;
import org.phoneemu.phone.TrustListStep;

/**
 * Predict's verdicts and rules come from the boot report's values, never from console lines: these reports were made
 * by hand, with reasons in words no console ever printed, and no phone or console log exists. A change of a console
 * line's wording therefore cannot change a verdict (the ArchitectureTest also forbids tac.predict to read console
 * lines).
 */
class PredictFromValuesTest {
    private static final String MAC = "00AABBCCDDEE";

    private static BootReport report(boolean failed, Optional<ConfigStep> config, TrustListStep... lists) {
        boolean applied = config.filter(c -> c instanceof ConfigStep.Applied).isPresent();
        return new BootReport(MAC, TrustState.ITL_ONLY, Optional.of("CN=cucmpub"), Optional.of("aa"), Optional.empty(), failed, applied,
                config.filter(c -> c instanceof ConfigStep.Applied).map(c -> ((ConfigStep.Applied) c).source()), Optional.empty(),
                Optional.empty(), List.of(lists), config);
    }

    @Test
    void aRefusedListIsLockedAndItsRuleIsTheRefusalReason() {
        BootReport r = report(true, Optional.of(new ConfigStep.Applied("SEP" + MAC + ".cnf.xml.sgn (signed)", 1)),
                new TrustListStep.Refused(TrustListKind.ITL, "ITLSEP" + MAC + ".tlv", "a reason in words of this test", Optional.empty()));

        assertThat(Verdict.of(r)).isEqualTo(Verdict.LOCKED);
        assertThat(Predictor.rule(r, MAC)).isEqualTo("ITLSEP<MAC>.tlv refused: a reason in words of this test");
    }

    @Test
    void aListVouchedForByTvsSaysWhomTvsWasAskedAboutAndWhatEachServerDid() {
        TrustListStep.TvsAsked asked = new TrustListStep.TvsAsked("CN=cucmpub-new", List.of());
        BootReport r = report(false, Optional.of(new ConfigStep.Applied("SEP" + MAC + ".cnf.xml.sgn (signed)", 2)),
                new TrustListStep.Installed(TrustListKind.ITL, "ITLSEP" + MAC + ".tlv", TrustListOutcome.Basis.VOUCHED_BY_TVS,
                        "CN=cucmpub-new", "bb", "vouched", Optional.of(asked)));
        List<TvsConsultation> tvs = List.of(new TvsConsultation("cucmsub", "not trusted"), new TvsConsultation("cucmpub", "valid"));

        assertThat(Verdict.of(r)).isEqualTo(Verdict.TRUSTED);
        assertThat(Predictor.withTvs(Predictor.rule(r, MAC), tvs, r)).isEqualTo("new list signed by CN=cucmpub-new, not in the installed"
                + " lists; TVS on cucmsub has a certificate the phone does not trust, TVS on cucmpub knows it: installed");
    }

    @Test
    void withoutAnAppliedConfigTheRuleIsTheConfigDecision() {
        BootReport r = report(false, Optional.of(new ConfigStep.Rejected("SEP" + MAC + ".cnf.xml.sgn", "not signed by a trusted record")),
                new TrustListStep.Unchanged(TrustListKind.ITL, "ITLSEP" + MAC + ".tlv", "aa"));

        assertThat(Verdict.of(r)).isEqualTo(Verdict.CONFIG_REFUSED);
        assertThat(Predictor.rule(r, MAC)).isEqualTo("SEP<MAC>.cnf.xml.sgn rejected: not signed by a trusted record");
    }

    @Test
    void aTrustedBootsRuleIsItsItlDecision() {
        BootReport r = report(false, Optional.of(new ConfigStep.Applied("SEP" + MAC + ".cnf.xml.sgn (signed)", 1)),
                new TrustListStep.NotServed(TrustListKind.CTL, "CTLFile.tlv"),
                new TrustListStep.Unchanged(TrustListKind.ITL, "ITLSEP" + MAC + ".tlv", "aa"));

        assertThat(Verdict.of(r)).isEqualTo(Verdict.TRUSTED);
        assertThat(Predictor.rule(r, MAC)).isEqualTo("ITLSEP<MAC>.tlv unchanged, MD5 aa");
    }
}
