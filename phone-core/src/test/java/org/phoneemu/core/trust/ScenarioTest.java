package org.phoneemu.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.core.tvs.TvsAnswer;

/**
 * The acceptance scenarios (docs/TRUST-RULES.md) that need no network, driven through the security daemon with files built in
 * the test and a virtual clock. "TVS" here is a function the test plays: it vouches only for certificates the
 * cluster's current TVS knows, and only if the phone trusts that TVS server's certificate.
 */
class ScenarioTest {
    static final String MAC = "001122334455";
    static final String CONFIG = "SEP" + MAC + ".cnf.xml.sgn";

    @TempDir
    Path flash;

    /** Boots: ITL (with a TVS round trip when needed), then the config; returns the ITL outcome. */
    private TrustListOutcome boot(PhoneHarness phone, MiniCluster cluster, String marker) {
        TrustListOutcome itl = phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv");
        if (itl instanceof TrustListOutcome.NeedsTvs ask) {
            itl = phone.secd.resume(ask, tvs(phone, cluster, ask.signerCertificate()));
        }
        String name = phone.secd.configFileNames(MAC, "127.0.0.1").get(0);
        phone.secd.offerConfig(name, name.endsWith(".sgn") ? cluster.signedConfig(marker) : cluster.configXml(marker).getBytes());
        return itl;
    }

    /** The phone reaches TVS only if it trusts the TVS server's certificate; TVS knows the cluster's current certs. */
    private static TvsAnswer tvs(PhoneHarness phone, MiniCluster cluster, java.security.cert.X509Certificate asked) {
        if (!phone.secd.isTrustedTvs(cluster.tvs.certificate())) {
            return new TvsAnswer.Unreachable("TVS server certificate is not in the CTL/ITL");
        }
        boolean known = asked.equals(cluster.callManager.certificate()) || asked.equals(cluster.tomcat.certificate())
                || asked.equals(cluster.itlRecovery.certificate());
        return known ? new TvsAnswer.Valid("127.0.0.1", List.of(0), OptionalLong.empty()) : new TvsAnswer.Invalid("127.0.0.1", 1);
    }

    private static String applied(PhoneHarness phone) {
        return phone.secd.config().flatMap(c -> c.loadInformation()).orElse("(none)");
    }

    @Test
    void s1FreshPhoneTrustsOnFirstUse() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        MiniCluster cluster = new MiniCluster();
        assertThat(boot(phone, cluster, "v1")).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(phone.secd.state()).isEqualTo(TrustState.ITL_ONLY);
        assertThat(applied(phone)).isEqualTo("v1");
        assertThat(phone.log.contains("tftpClient: authenticated file approved - add .sgn -- " + CONFIG)).isTrue();
    }

    @Test
    void s2RegeneratedCallManagerIsVouchedForByTheOldTvs() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        MiniCluster cluster = new MiniCluster();
        boot(phone, cluster, "v1");
        cluster.regenCallManager();
        phone.reboot();
        TrustListOutcome itl = boot(phone, cluster, "v2");
        assertThat(itl).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(((TrustListOutcome.Installed) itl).basis()).isEqualTo(TrustListOutcome.Basis.VOUCHED_BY_TVS);
        assertThat(applied(phone)).isEqualTo("v2");
    }

    @Test
    void s3AndS4BothCertificatesRegeneratedLocksThePhoneUntilItlRecovery() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        MiniCluster cluster = new MiniCluster();
        boot(phone, cluster, "v1");
        String oldMd5 = phone.secd.trust().itl().orElseThrow().file().md5Hex();
        cluster.regenCallManager();
        cluster.regenTvs();
        phone.reboot();
        assertThat(boot(phone, cluster, "v2")).isInstanceOf(TrustListOutcome.Refused.class);
        assertThat(phone.status.contains(StatusMessages.TRUST_LIST_UPDATE_FAILED)).isTrue();
        assertThat(phone.secd.trust().itl().orElseThrow().file().md5Hex()).isEqualTo(oldMd5);
        assertThat(applied(phone)).as("config changes do not apply").isEqualTo("v1");
        // HTTPS directory fails: tomcat is not in the ITL and no trusted TVS can be reached.
        HttpsDecision https = phone.secd.checkHttps(cluster.tomcat.certificate(), "127.0.0.1");
        assertThat(https).isInstanceOf(HttpsDecision.NeedsTvs.class);
        assertThat(phone.secd.resumeHttps((HttpsDecision.NeedsTvs) https, tvs(phone, cluster, cluster.tomcat.certificate())))
                .isInstanceOf(HttpsDecision.Refused.class);

        // S4: utils itl reset localkey: the ITL is signed by ITLRecovery, which the old ITL lists.
        cluster.itlSignedByRecovery = true;
        phone.reboot();
        TrustListOutcome recovered = boot(phone, cluster, "v3");
        assertThat(recovered).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(((TrustListOutcome.Installed) recovered).basis()).isEqualTo(TrustListOutcome.Basis.SIGNED_BY_TRUSTED_RECORD);
        assertThat(applied(phone)).isEqualTo("v3");
        // TFTP restart: signed by the new CallManager key again, accepted through the recovered ITL.
        cluster.itlSignedByRecovery = false;
        phone.reboot();
        assertThat(boot(phone, cluster, "v4")).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(applied(phone)).isEqualTo("v4");
    }

    @Test
    void s9RollbackItlThenAnyConfigThenFirstUseAgain() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        MiniCluster cluster = new MiniCluster();
        boot(phone, cluster, "v1");
        assertThat(phone.secd.offerTrustList(TrustListKind.ITL, cluster.rollbackItl(), "ITLFile.tlv"))
                .isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(phone.secd.state()).isEqualTo(TrustState.ROLLBACK);
        assertThat(phone.secd.configFileNames(MAC, "127.0.0.1")).containsExactly("SEP" + MAC + ".cnf.xml", "XMLDefault.cnf.xml");
        assertThat(phone.secd.offerConfig("SEP" + MAC + ".cnf.xml", cluster.configXml("unsigned").getBytes()))
                .isInstanceOf(ConfigOutcome.Applied.class);
        MiniCluster other = new MiniCluster();
        assertThat(boot(phone, other, "other")).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(applied(phone)).isEqualTo("other");
    }

    @Test
    void s10CtlHostnameChangeVouchesForTheNewItl() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        MiniCluster cluster = new MiniCluster();
        var etoken = org.phoneemu.core.testing.TestPki.rsa("C=US,O=cisco,CN=eToken-1", 1024, 16);
        java.util.function.Supplier<byte[]> ctl = () -> new org.phoneemu.core.trustlist.TrustListBuilder(TrustListKind.CTL)
                .addCertificate(org.phoneemu.core.trustlist.Role.SAST, etoken.certificate())
                .addCertificate(org.phoneemu.core.trustlist.Role.CCM_TFTP, cluster.callManager.certificate())
                .build(etoken);
        assertThat(phone.secd.offerTrustList(TrustListKind.CTL, ctl.get(), "CTLFile.tlv")).isInstanceOf(TrustListOutcome.Installed.class);
        boot(phone, cluster, "v1");
        assertThat(phone.secd.state()).isEqualTo(TrustState.CTL_AND_ITL);
        // Hostname change: CallManager and TVS regenerated at once; the eToken signs a new CTL.
        cluster.regenCallManager();
        cluster.regenTvs();
        phone.reboot();
        assertThat(phone.secd.offerTrustList(TrustListKind.CTL, ctl.get(), "CTLFile.tlv")).isInstanceOf(TrustListOutcome.Installed.class);
        // The new ITL is signed by the new CallManager key, which the new CTL lists as CCM+TFTP: no TVS needed.
        TrustListOutcome itl = phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv");
        assertThat(itl).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(((TrustListOutcome.Installed) itl).basis()).isEqualTo(TrustListOutcome.Basis.SIGNED_BY_TRUSTED_RECORD);
        phone.secd.offerConfig(CONFIG, cluster.signedConfig("v2"));
        assertThat(applied(phone)).isEqualTo("v2");
    }

    @Test
    void s12TvsCacheAsksOnceThenNotWithin86400sThenAgain() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        MiniCluster cluster = new MiniCluster();
        boot(phone, cluster, "v1");
        int[] tvsAsked = {0};
        java.util.function.Supplier<HttpsDecision> press = () -> {
            HttpsDecision d = phone.secd.checkHttps(cluster.tomcat.certificate(), "127.0.0.1");
            if (d instanceof HttpsDecision.NeedsTvs ask) {
                tvsAsked[0]++;
                d = phone.secd.resumeHttps(ask, tvs(phone, cluster, ask.certificate()));
            }
            return d;
        };
        assertThat(press.get()).isEqualTo(new HttpsDecision.Allowed(HttpsDecision.Source.TVS));
        assertThat(phone.log.contains("Saving certificate in TVS cache with default time-to-live value: 86400 seconds")).isTrue();
        phone.clock.advance(Duration.ofSeconds(86399));
        assertThat(press.get()).isEqualTo(new HttpsDecision.Allowed(HttpsDecision.Source.TVS_CACHE));
        assertThat(tvsAsked[0]).isEqualTo(1);
        phone.clock.advance(Duration.ofSeconds(1));
        assertThat(press.get()).isEqualTo(new HttpsDecision.Allowed(HttpsDecision.Source.TVS));
        assertThat(tvsAsked[0]).isEqualTo(2);
        // A reboot empties the cache.
        phone.secd.reboot();
        press.get();
        assertThat(tvsAsked[0]).isEqualTo(3);
    }

    @Test
    void s15EraseItlFromTheMenuOnlyWhenSettingsAccessAllows() throws Exception {
        MiniCluster cluster = new MiniCluster();
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        boot(phone, cluster, "v1");
        cluster.regenCallManager();
        cluster.regenTvs();
        phone.reboot();
        boot(phone, cluster, "v2");
        assertThat(applied(phone)).isEqualTo("v1"); // locked
        assertThat(phone.secd.erase(TrustListKind.ITL)).isInstanceOf(MenuResult.Done.class);
        phone.reboot();
        assertThat(boot(phone, cluster, "v3")).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(applied(phone)).isEqualTo("v3");

        // settingsAccess 0: erase refused; only a factory reset clears the lists.
        cluster.settingsAccess = 0;
        boot(phone, cluster, "v4");
        cluster.regenCallManager();
        cluster.regenTvs();
        phone.reboot();
        boot(phone, cluster, "v5");
        assertThat(applied(phone)).isEqualTo("v4");
        assertThat(phone.secd.erase(TrustListKind.ITL)).isInstanceOf(MenuResult.Refused.class);
        assertThat(phone.secd.state()).isEqualTo(TrustState.ITL_ONLY);
        assertThat(phone.secd.factoryReset()).isInstanceOf(MenuResult.Done.class);
        assertThat(phone.secd.state()).isEqualTo(TrustState.NONE);
        assertThat(boot(phone, cluster, "v6")).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(applied(phone)).isEqualTo("v6");
    }

    @Test
    void outcomesSayWhichStatusMessageTheyAddedAndThoseReachFlash() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        MiniCluster cluster = new MiniCluster();

        TrustListOutcome first = phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv");
        assertThat(first.statusAdded()).isPresent().isEqualTo(phone.status.last());
        assertThat(first.statusAdded().get().text()).isEqualTo(StatusMessages.TRUST_LIST_UPDATED);

        TrustListOutcome again = phone.secd.offerTrustList(TrustListKind.ITL, cluster.itl(), "ITLFile.tlv");
        assertThat(again).isInstanceOf(TrustListOutcome.Unchanged.class);
        assertThat(again.statusAdded()).isEmpty();

        // The phone is secure now: an unsigned config is refused with a status message naming the file.
        String plain = "SEP" + MAC + ".cnf.xml";
        ConfigOutcome refused = phone.secd.offerConfig(plain, cluster.configXml("v1").getBytes());
        assertThat(refused.statusAdded().map(StatusMessages.Message::text)).contains(StatusMessages.FILE_AUTH_FAIL + ": " + plain);

        phone.reboot(); // status messages are read back from flash
        assertThat(phone.status.all()).extracting(StatusMessages.Message::text)
                .containsExactly(StatusMessages.TRUST_LIST_UPDATED, StatusMessages.FILE_AUTH_FAIL + ": " + plain);
    }
}
