package org.phoneemu.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.tvs.TvsAnswer;

/**
 * An unsigned configuration answered over HTTPS 6971 is applied only on the decision carried with the download: the
 * security daemon's own allowed decision on that connection's server certificate, used once; a download labelled HTTPS
 * without it is judged as over TFTP.
 */
class ConfigOverHttpsGateTest {
    private static final String CONFIG = "SEP001122334455.cnf.xml.sgn";

    @TempDir
    Path flash;

    private static PhoneHarness booted(Path flash, MiniCluster cluster) throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        assertThat(phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv")).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(phone.secd.offerConfig(CONFIG, cluster.signedConfig("v1"))).isInstanceOf(ConfigOutcome.Applied.class);
        return phone;
    }

    private static byte[] unsigned(MiniCluster cluster, String marker) {
        return cluster.configXml(marker).getBytes(StandardCharsets.UTF_8);
    }

    private static String applied(PhoneHarness phone) {
        return phone.secd.config().flatMap(c -> c.loadInformation()).orElse("(none)");
    }

    @Test
    void anUnsignedAnswerNeedsItsConnectionsAllowedDecisionUsedOnce() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = booted(flash, cluster);

        // No certificate was judged: the unsigned answer to a .sgn request is refused, as over TFTP.
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "v2"), Optional.empty())).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(applied(phone)).isEqualTo("v1");

        // The CallManager certificate (CCM+TFTP in the ITL) vouches for the provisioning server.
        HttpsDecision allowed = phone.secd.checkProvisioningHttps(cluster.callManager.certificate(), "127.0.0.1");
        assertThat(allowed).isEqualTo(new HttpsDecision.Allowed(HttpsDecision.Source.ITL));
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "v2"), Optional.of(allowed))).isInstanceOf(ConfigOutcome.Applied.class);
        assertThat(applied(phone)).isEqualTo("v2");

        // That decision was used up.
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "v3"), Optional.of(allowed))).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(applied(phone)).isEqualTo("v2");
    }

    @Test
    void aDecisionTheDaemonDidNotTakeIsNoDecision() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = booted(flash, cluster);
        // The daemon allowed some connection; the download carries an equal-looking decision it never took.
        assertThat(phone.secd.checkProvisioningHttps(cluster.callManager.certificate(), "127.0.0.1")).isInstanceOf(HttpsDecision.Allowed.class);
        HttpsDecision madeUp = new HttpsDecision.Allowed(HttpsDecision.Source.ITL);
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "v2"), Optional.of(madeUp))).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(applied(phone)).isEqualTo("v1");
    }

    /**
     * The daemon's last decision and the download's own disagree: connection A was allowed and delivered the file, a
     * later handshake B (another server) was refused. A's file is judged on A's decision, B's refusal on B.
     */
    @Test
    void theDownloadsOwnDecisionWinsOverTheDaemonsLast() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = booted(flash, cluster);
        HttpsDecision a = phone.secd.checkProvisioningHttps(cluster.callManager.certificate(), "127.0.0.1");
        assertThat(a).isInstanceOf(HttpsDecision.Allowed.class);
        HttpsDecision pending = phone.secd.checkProvisioningHttps(cluster.tomcat.certificate(), "127.0.0.2");
        assertThat(pending).isInstanceOf(HttpsDecision.NeedsTvs.class);
        HttpsDecision b = phone.secd.resumeProvisioningHttps((HttpsDecision.NeedsTvs) pending, new TvsAnswer.Invalid("127.0.0.1", 1));
        assertThat(b).isInstanceOf(HttpsDecision.Refused.class);

        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "from-b"), Optional.of(b))).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(applied(phone)).isEqualTo("v1");
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "from-a"), Optional.of(a))).isInstanceOf(ConfigOutcome.Applied.class);
        assertThat(applied(phone)).isEqualTo("from-a");
    }
}
