package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trust.TrustEngine;
import org.phoneemu.core.trust.TrustListOutcome;
import org.phoneemu.core.trust.TvsServerAuthentication;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * Acceptance scenarios (docs/TRUST-RULES.md, config/scenarios/) against the simulated cluster, with phone-core's
 * trust engine as the phone and TVS asked over TLS with hand-made frames: what the cluster does must lead a real
 * phone's logic to "trusted" or "locked" as the seed documents (docs/TRUST-RULES.md, Sources) describe.
 */
class ScenarioTest {
    @TempDir
    Path dir;
    VirtualClock clock = TestClusters.clock();
    Cluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A phone reduced to its ITL handling. */
    final class Phone {
        final TrustEngine engine = new TrustEngine(new ConsoleLog("SEP001122334455", clock), new StatusMessages(clock), clock);
        InstalledTrust trust = InstalledTrust.NONE;

        /** Downloads the ITL from {@code tftpNode} and offers it, asking TVS when the engine cannot decide. */
        TrustListOutcome boot(String tftpNode) throws Exception {
            byte[] itl = cluster.file(tftpNode, "ITLSEP001122334455.tlv").orElseThrow();
            TrustListOutcome outcome = engine.offer(trust, TrustListKind.ITL, itl, "ITLSEP001122334455.tlv");
            if (outcome instanceof TrustListOutcome.NeedsTvs needs) {
                outcome = engine.resume(needs, askTvs(needs.signerCertificate()));
            }
            if (outcome instanceof TrustListOutcome.Installed installed) {
                trust = trust.withItl(installed.list());
            }
            return outcome;
        }

        /** The TVS servers in priority order; each must present a certificate a TVS record of the ITL vouches for. */
        TvsAnswer askTvs(X509Certificate cert) throws Exception {
            for (Node n : cluster.nodes()) {
                if (!n.tvs()) {
                    continue;
                }
                try (SSLSocket s = TestTls.connect(n.tvsAddress())) {
                    if (!TvsServerAuthentication.isTrustedTvs(trust, TestTls.peer(s))) {
                        continue;
                    }
                    s.getOutputStream().write(TvsServerTest.verifyRequest(1, "CP-7970-SEP001122334455", cert.getEncoded()));
                    TvsServerTest.Response r = TvsServerTest.read(s.getInputStream());
                    int status = r.elements().get(7)[0];
                    return status == 0 ? new TvsAnswer.Valid(n.hostname(), List.of(), OptionalLong.empty())
                            : new TvsAnswer.Invalid(n.hostname(), status);
                }
            }
            return new TvsAnswer.Unreachable("no TVS server with a trusted certificate");
        }
    }

    private Phone bootedPhone(String yaml) throws Exception {
        cluster = TestClusters.build(yaml, dir, clock);
        cluster.start().get();
        Phone phone = new Phone();
        assertThat(phone.boot("solo".equals(cluster.publisher().id()) ? "solo" : "pub"))
                .isInstanceOfSatisfying(TrustListOutcome.Installed.class, i -> assertThat(i.basis()).isEqualTo(TrustListOutcome.Basis.FIRST_USE));
        return phone;
    }

    private static TrustListOutcome.Basis basis(TrustListOutcome o) {
        assertThat(o).isInstanceOf(TrustListOutcome.Installed.class);
        return ((TrustListOutcome.Installed) o).basis();
    }

    @Test
    void s2CallManagerRegenerationIsVouchedForByTvs() throws Exception {
        Phone phone = bootedPhone(TestClusters.oneNode());
        cluster.admin("solo").regenerateCertificate(CertificateUnit.CALLMANAGER);
        assertThat(basis(phone.boot("solo"))).isEqualTo(TrustListOutcome.Basis.VOUCHED_BY_TVS);
    }

    @Test
    void s3S4CallManagerAndTvsOnOneNodeLockThePhoneUntilItlReset() throws Exception {
        Phone phone = bootedPhone(TestClusters.oneNode());
        NodeAdmin solo = cluster.admin("solo");
        solo.regenerateCertificate(CertificateUnit.CALLMANAGER);
        clock.advance(Duration.ofMinutes(5));
        solo.regenerateCertificate(CertificateUnit.TVS);
        assertThat(phone.boot("solo")).isInstanceOf(TrustListOutcome.Refused.class);

        solo.resetItlLocalKey();
        assertThat(basis(phone.boot("solo"))).isEqualTo(TrustListOutcome.Basis.SIGNED_BY_TRUSTED_RECORD);
        solo.restartService(ClusterService.TFTP);
        assertThat(basis(phone.boot("solo"))).isEqualTo(TrustListOutcome.Basis.SIGNED_BY_TRUSTED_RECORD);
        assertThat(phone.trust.itl().orElseThrow().records().get(0).certificate())
                .contains(solo.certificate(CertificateUnit.CALLMANAGER));
    }

    @Test
    void s7AnotherNodesTvsVouchesAndS8RenamingEveryNodeLocks() throws Exception {
        Phone phone = bootedPhone(TestClusters.twoNodes());
        NodeAdmin pub = cluster.admin("pub");
        pub.regenerateCertificate(CertificateUnit.CALLMANAGER);
        clock.advance(Duration.ofMinutes(5));
        pub.regenerateCertificate(CertificateUnit.TVS);
        assertThat(basis(phone.boot("pub"))).isEqualTo(TrustListOutcome.Basis.VOUCHED_BY_TVS);

        cluster.admin("pub").changeHostname("pub2");
        cluster.admin("sub").changeHostname("sub2");
        assertThat(phone.boot("pub2")).isInstanceOf(TrustListOutcome.Refused.class);
        assertThat(phone.boot("sub2")).isInstanceOf(TrustListOutcome.Refused.class);
    }

    @Test
    void s9RollbackItlIsInstalledThenAnyNextItlIsTrustedOnFirstUse() throws Exception {
        Phone phone = bootedPhone(TestClusters.oneNode());
        cluster.admin("solo").setRollback(true);
        assertThat(basis(phone.boot("solo"))).isEqualTo(TrustListOutcome.Basis.SIGNED_BY_TRUSTED_RECORD);
        assertThat(phone.trust.itl().orElseThrow().isBlank()).isTrue();
        cluster.admin("solo").setRollback(false);
        cluster.admin("solo").changeHostname("elsewhere");
        assertThat(basis(phone.boot("elsewhere"))).isEqualTo(TrustListOutcome.Basis.FIRST_USE);
    }

    @Test
    void s17RestoreWithoutTheCallManagerKeyLocksThePhone() throws Exception {
        Phone phone = bootedPhone(TestClusters.oneNode());
        cluster.admin("solo").backup("drs");
        cluster.admin("solo").restore("drs", false);
        assertThat(phone.boot("solo")).isInstanceOf(TrustListOutcome.Refused.class);
        cluster.admin("solo").restore("drs", true);
        assertThat(phone.boot("solo")).isInstanceOf(TrustListOutcome.Unchanged.class);
    }
}
