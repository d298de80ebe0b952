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
 * An unsigned configuration answered over HTTPS 6971 is applied only on the security daemon's own decision on that
 * server's certificate, taken for that one configuration; a download labelled HTTPS without it is judged as over TFTP.
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
    void anUnsignedAnswerNeedsTheGatesDecisionAndEachDecisionServesOneConfig() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = booted(flash, cluster);

        // No certificate was judged: the unsigned answer to a .sgn request is refused, as over TFTP.
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "v2"))).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(applied(phone)).isEqualTo("v1");

        // The CallManager certificate (CCM+TFTP in the ITL) vouches for the provisioning server.
        assertThat(phone.secd.checkProvisioningHttps(cluster.callManager.certificate(), "127.0.0.1"))
                .isEqualTo(new HttpsDecision.Allowed(HttpsDecision.Source.ITL));
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "v2"))).isInstanceOf(ConfigOutcome.Applied.class);
        assertThat(applied(phone)).isEqualTo("v2");

        // That decision was used up.
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "v3"))).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(applied(phone)).isEqualTo("v2");
    }

    @Test
    void aRefusedCertificateLeavesNoDecisionBehind() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = booted(flash, cluster);
        assertThat(phone.secd.checkProvisioningHttps(cluster.callManager.certificate(), "127.0.0.1")).isInstanceOf(HttpsDecision.Allowed.class);
        // A second handshake, to a server whose certificate TVS does not vouch for, replaces the first decision.
        HttpsDecision d = phone.secd.checkProvisioningHttps(cluster.tomcat.certificate(), "127.0.0.1");
        assertThat(d).isInstanceOf(HttpsDecision.NeedsTvs.class);
        assertThat(phone.secd.resumeProvisioningHttps((HttpsDecision.NeedsTvs) d, new TvsAnswer.Invalid("127.0.0.1", 1)))
                .isInstanceOf(HttpsDecision.Refused.class);
        assertThat(phone.secd.offerConfigOverHttps(CONFIG, unsigned(cluster, "v2"))).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(applied(phone)).isEqualTo("v1");
    }
}
