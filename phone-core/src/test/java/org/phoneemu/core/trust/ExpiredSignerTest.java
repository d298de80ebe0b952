package org.phoneemu.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.trustlist.TrustListKind;

/** A trusted signer past its end date (docs/TRUST-RULES.md §12 rules 5-6), on the phone's virtual clock. */
class ExpiredSignerTest {
    static final String CONFIG = "SEP001122334455.cnf.xml.sgn";
    /** The test certificates are valid for five years from the wall clock's now; six years passes them all. */
    static final Duration PAST_END = Duration.ofDays(6 * 365);

    @TempDir
    Path flash;

    private static PhoneHarness trusting(Path flash, MiniCluster cluster) throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        assertThat(phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv"))
                .isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(phone.secd.offerConfig(CONFIG, cluster.signedConfig("v1"))).isInstanceOf(ConfigOutcome.Applied.class);
        return phone;
    }

    @Test
    void aConfigSignedByAnExpiredCallManagerIsRefusedAndThePreviousKept() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = trusting(flash, cluster);

        phone.clock.advance(PAST_END);
        ConfigOutcome outcome = phone.secd.offerConfig(CONFIG, cluster.signedConfig("v2"));

        assertThat(outcome).isInstanceOfSatisfying(ConfigOutcome.Rejected.class, r -> assertThat(r.reason())
                .contains("is trusted but its certificate expired on").doesNotContain(ExpiredSigner.ASSUMED));
        assertThat(outcome.statusAdded()).hasValueSatisfying(m -> assertThat(m.text()).isEqualTo("File Auth Fail: " + CONFIG));
        assertThat(phone.secd.config().flatMap(c -> c.loadInformation())).hasValue("v1");
    }

    @Test
    void beforeItsEndDateTheSameConfigIsApplied() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = trusting(flash, cluster);

        phone.clock.advance(Duration.ofDays(4 * 365));

        assertThat(phone.secd.offerConfig(CONFIG, cluster.signedConfig("v2"))).isInstanceOf(ConfigOutcome.Applied.class);
    }

    @Test
    void aNewItlSignedByAnExpiredCallManagerIsRefusedAsDocumented() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = trusting(flash, cluster);
        cluster.regenTvs();

        phone.clock.advance(PAST_END);
        TrustListOutcome outcome = phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv");

        assertThat(outcome).isInstanceOfSatisfying(TrustListOutcome.Refused.class, r -> assertThat(r.reason())
                .contains("expired on").doesNotContain(ExpiredSigner.ASSUMED));
    }

    @Test
    void anItlSignedByAnExpiredItlRecoveryIsRefusedAndTheRuleIsMarkedAssumed() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = trusting(flash, cluster);
        cluster.itlSignedByRecovery = true;

        phone.clock.advance(PAST_END);
        TrustListOutcome outcome = phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv");

        assertThat(outcome).isInstanceOfSatisfying(TrustListOutcome.Refused.class, r -> assertThat(r.reason())
                .contains("ITLRECOVERY_pub.lab").contains("expired on").endsWith(ExpiredSigner.ASSUMED));
    }

    @Test
    void aRenewedCallManagerIsNotJudgedByTheOldEndDateButAskedOfTvs() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = trusting(flash, cluster);
        phone.clock.advance(PAST_END);
        cluster.regenCallManager();

        TrustListOutcome outcome = phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv");

        assertThat(outcome).isInstanceOf(TrustListOutcome.NeedsTvs.class);
    }
}
