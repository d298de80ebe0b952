package org.phoneemu.core.https;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.core.tvs.TvsCache;

/**
 * The HTTPS provisioning (6971) rule: in the CTL or ITL only a record with the TFTP function vouches for the server's
 * certificate; the same certificate listed under another role goes to TVS, as any HTTPS server's would.
 */
class ProvisioningTrustTest {
    static KeyMaterial sast;
    static KeyMaterial server;

    @BeforeAll
    static void keys() {
        sast = TestPki.rsa("CN=SAST-ADN0001,O=cisco", 1024, 16);
        server = TestPki.ec("CN=cucmpub.lab.example,O=cisco", "secp256r1", 16);
    }

    static TrustList list(TrustListKind kind, Role role) throws Exception {
        return TrustList.parse(new TrustListBuilder(kind).addCertificate(Role.SAST, sast.certificate())
                .addCertificate(role, server.certificate()).build(sast), kind);
    }

    static HttpsCertificateCheck check() {
        VirtualClock clock = new VirtualClock(Instant.EPOCH);
        return new HttpsCertificateCheck(new ConsoleLog("t", clock), new TvsCache(clock));
    }

    @Test
    void onlyARecordWithTheTftpFunctionVouchesForThe6971Certificate() throws Exception {
        for (Role role : List.of(Role.TFTP, Role.CCM_TFTP)) {
            InstalledTrust itl = new InstalledTrust(Optional.empty(), Optional.of(list(TrustListKind.ITL, role)));
            assertThat(check().checkProvisioning(itl, server.certificate(), "127.0.0.1")).as(role.toString())
                    .isEqualTo(new HttpsDecision.Allowed(HttpsDecision.Source.ITL));
            InstalledTrust ctl = new InstalledTrust(Optional.of(list(TrustListKind.CTL, role)), Optional.empty());
            assertThat(check().checkProvisioning(ctl, server.certificate(), "127.0.0.1")).as(role.toString())
                    .isEqualTo(new HttpsDecision.Allowed(HttpsDecision.Source.CTL));
        }
    }

    @Test
    void theSameCertificateUnderAnotherRoleGoesToTvsAndIsRefusedWhenTvsSaysNo() throws Exception {
        for (Role role : List.of(Role.CCM, Role.TVS, Role.CAPF, Role.APP_SERVER)) {
            for (TrustListKind kind : List.of(TrustListKind.ITL, TrustListKind.CTL)) {
                InstalledTrust trust = kind == TrustListKind.ITL
                        ? new InstalledTrust(Optional.empty(), Optional.of(list(kind, role)))
                        : new InstalledTrust(Optional.of(list(kind, role)), Optional.empty());
                HttpsCertificateCheck check = check();
                // Any HTTPS server (the directory) is vouched for by the record whatever its role...
                assertThat(check.check(trust, server.certificate(), "127.0.0.1")).isInstanceOf(HttpsDecision.Allowed.class);
                // ...the provisioning server is not: TVS decides.
                HttpsDecision d = check.checkProvisioning(trust, server.certificate(), "127.0.0.1");
                assertThat(d).as(role + " in the " + kind).isInstanceOf(HttpsDecision.NeedsTvs.class);
                assertThat(check.resume((HttpsDecision.NeedsTvs) d, new TvsAnswer.Invalid("127.0.0.1", 1)))
                        .isInstanceOf(HttpsDecision.Refused.class);
                HttpsDecision vouched = check.resume((HttpsDecision.NeedsTvs) check.checkProvisioning(trust, server.certificate(), "127.0.0.1"),
                        new TvsAnswer.Valid("127.0.0.1", List.of(), OptionalLong.empty()));
                assertThat(vouched).isEqualTo(new HttpsDecision.Allowed(HttpsDecision.Source.TVS));
            }
        }
    }
}
