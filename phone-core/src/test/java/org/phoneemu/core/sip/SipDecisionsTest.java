package org.phoneemu.core.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.config.CallManagerEntry;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;

class SipDecisionsTest {
    static KeyMaterial sast;
    static KeyMaterial pub;
    static KeyMaterial sub;
    static KeyMaterial tvs;
    static KeyMaterial rogue;
    static final Optional<Integer> TLS = Optional.of(SipTransportPolicy.TRANSPORT_TLS);
    static final Instant NOW = Instant.now();

    @BeforeAll
    static void keys() {
        sast = TestPki.rsa("CN=SAST-ADN0001,O=cisco", 1024, 16);
        pub = TestPki.rsa("CN=cucmpub.lab.example,O=cisco", 1024, 16);
        sub = TestPki.rsa("CN=cucmsub.lab.example,O=cisco", 1024, 16);
        tvs = TestPki.rsa("CN=cucmpub-tvs,O=cisco", 1024, 16);
        rogue = TestPki.rsa("CN=cucmpub.lab.example,O=cisco", 1024, 16);
    }

    static TrustList list(TrustListKind kind, Object... roleCert) throws Exception {
        TrustListBuilder b = new TrustListBuilder(kind).addCertificate(Role.SAST, sast.certificate());
        for (int i = 0; i < roleCert.length; i += 2) {
            b.addCertificate((Role) roleCert[i], ((KeyMaterial) roleCert[i + 1]).certificate());
        }
        return TrustList.parse(b.build(sast), kind);
    }

    @Test
    void aCallManagerRecordOfTheCtlVouchesForTheServerAndNothingElseDoes() throws Exception {
        TrustList ctl = list(TrustListKind.CTL, Role.CCM_TFTP, pub, Role.CCM, sub, Role.TVS, tvs);
        InstalledTrust trust = new InstalledTrust(Optional.of(ctl), Optional.empty());
        assertThat(SipServerTrust.isTrustedCallManager(trust, pub.certificate())).isTrue();
        assertThat(SipServerTrust.isTrustedCallManager(trust, sub.certificate())).isTrue();
        // Another role is not a CallManager; the same subject with another key is not the same certificate.
        assertThat(SipServerTrust.isTrustedCallManager(trust, tvs.certificate())).isFalse();
        assertThat(SipServerTrust.isTrustedCallManager(trust, rogue.certificate())).isFalse();
        assertThat(SipServerTrust.isTrustedCallManager(trust, sast.certificate())).isFalse();
    }

    @Test
    void withACtlTheItlIsNotSearchedAndWithoutOneItIs() throws Exception {
        TrustList ctl = list(TrustListKind.CTL, Role.CCM_TFTP, pub);
        TrustList itl = list(TrustListKind.ITL, Role.CCM_TFTP, sub);
        assertThat(SipServerTrust.isTrustedCallManager(new InstalledTrust(Optional.of(ctl), Optional.of(itl)), sub.certificate()))
                .isFalse();
        assertThat(SipServerTrust.isTrustedCallManager(new InstalledTrust(Optional.empty(), Optional.of(itl)), sub.certificate()))
                .isTrue();
        assertThat(SipServerTrust.isTrustedCallManager(InstalledTrust.NONE, sub.certificate())).isFalse();
    }

    @Test
    void tlsOnlyWhenModeTransportAndListAllAllowIt() throws Exception {
        InstalledTrust withCtl = new InstalledTrust(Optional.of(list(TrustListKind.CTL, Role.CCM_TFTP, pub)), Optional.empty());
        assertThat(SipTransportPolicy.decide(DeviceSecurityMode.ENCRYPTED, TLS, withCtl, NOW, 0))
                .isEqualTo(new TransportDecision.Tls(DeviceSecurityMode.ENCRYPTED, TrustListKind.CTL));
        assertThat(SipTransportPolicy.decide(DeviceSecurityMode.AUTHENTICATED, TLS, withCtl, NOW, 0).transport())
                .isEqualTo(SipTransport.TLS);
        assertThat(SipTransportPolicy.decide(DeviceSecurityMode.NON_SECURE, TLS, withCtl, NOW, 0))
                .isInstanceOf(TransportDecision.Tcp.class);
        assertThat(SipTransportPolicy.decide(DeviceSecurityMode.ENCRYPTED, Optional.of(2), withCtl, NOW, 0).describe())
                .contains("not TLS");
        InstalledTrust itlOnly = new InstalledTrust(Optional.empty(), Optional.of(list(TrustListKind.ITL, Role.CCM_TFTP, pub)));
        assertThat(SipTransportPolicy.decide(DeviceSecurityMode.ENCRYPTED, TLS, itlOnly, NOW, 0))
                .isEqualTo(new TransportDecision.Tls(DeviceSecurityMode.ENCRYPTED, TrustListKind.ITL));
        // A CTL without any CallManager record: TCP.
        InstalledTrust noCcm = new InstalledTrust(Optional.of(list(TrustListKind.CTL, Role.TVS, tvs)), Optional.empty());
        assertThat(SipTransportPolicy.decide(DeviceSecurityMode.ENCRYPTED, TLS, noCcm, NOW, 0).describe())
                .contains("no valid CallManager certificate");
    }

    @Test
    void anExpiredCallManagerCertificateDoesNotDowngradeASecurePhoneToTcp() throws Exception {
        // E2: with CallManager.pem expired, secure phones do not register; the TLS gate refuses the server (PhoneRegistrationTest).
        InstalledTrust withCtl = new InstalledTrust(Optional.of(list(TrustListKind.CTL, Role.CCM_TFTP, pub)), Optional.empty());
        Instant later = pub.certificate().getNotAfter().toInstant().plusSeconds(1);
        assertThat(SipTransportPolicy.decide(DeviceSecurityMode.ENCRYPTED, TLS, withCtl, later, 0))
                .isEqualTo(new TransportDecision.Tls(DeviceSecurityMode.ENCRYPTED, TrustListKind.CTL));
    }

    @Test
    void secureModeWithoutAnyListTriesFourTimesThenGivesUpOnSecureRegistration() {
        for (int tries = 0; tries < 4; tries++) {
            assertThat(SipTransportPolicy.decide(DeviceSecurityMode.ENCRYPTED, TLS, InstalledTrust.NONE, NOW, tries))
                    .isEqualTo(new TransportDecision.FetchTrustListFirst(4 - tries));
        }
        TransportDecision last = SipTransportPolicy.decide(DeviceSecurityMode.ENCRYPTED, TLS, InstalledTrust.NONE, NOW, 4);
        assertThat(last).isInstanceOf(TransportDecision.Tcp.class);
        assertThat(last.describe()).contains("after 4 tries");
    }

    @Test
    void theGroupIsTriedInPriorityOrderOnTheTransportsPort() {
        List<CallManagerEntry> group = List.of(new CallManagerEntry(1, "cucmsub", 5070, 5071),
                new CallManagerEntry(0, "cucmpub", 5060, 5061), new CallManagerEntry(1, "cucmsub2", 5060, 5061));
        assertThat(RegistrationPolicy.targets(group, SipTransport.TLS)).containsExactly(
                new CallManagerTarget(0, "cucmpub", 5061, SipTransport.TLS),
                new CallManagerTarget(1, "cucmsub", 5071, SipTransport.TLS),
                new CallManagerTarget(1, "cucmsub2", 5061, SipTransport.TLS));
        assertThat(RegistrationPolicy.targets(group, SipTransport.TCP).get(0).port()).isEqualTo(5060);
    }

    @Test
    void theTftpServerComesLastOnThePrimarysPortUnlessTheGroupAlreadyNamesIt() {
        List<CallManagerTarget> group = List.of(new CallManagerTarget(0, "cucmpub.lab.example", 5061, SipTransport.TLS),
                new CallManagerTarget(1, "cucmsub.lab.example", 5071, SipTransport.TLS));
        assertThat(RegistrationPolicy.withTftpFallback(group, "127.0.0.2")).containsExactly(group.get(0), group.get(1),
                new CallManagerTarget(2, "127.0.0.2", 5061, SipTransport.TLS));
        List<CallManagerTarget> byAddress = List.of(new CallManagerTarget(0, "127.0.0.2", 5060, SipTransport.TCP));
        assertThat(RegistrationPolicy.withTftpFallback(byAddress, "127.0.0.2")).isEqualTo(byAddress);
        assertThat(RegistrationPolicy.withTftpFallback(List.of(), "127.0.0.2")).isEmpty();
    }

    @Test
    void finalAnswersStopOrMoveOn() {
        assertThat(RegistrationPolicy.verdict(200)).isEqualTo(RegistrationPolicy.Verdict.REGISTERED);
        assertThat(RegistrationPolicy.verdict(403)).isEqualTo(RegistrationPolicy.Verdict.REFUSED);
        assertThat(RegistrationPolicy.verdict(401)).isEqualTo(RegistrationPolicy.Verdict.REFUSED);
        assertThat(RegistrationPolicy.verdict(503)).isEqualTo(RegistrationPolicy.Verdict.NEXT);
        assertThat(RegistrationPolicy.verdict(603)).isEqualTo(RegistrationPolicy.Verdict.REFUSED);
        assertThatThrownBy(() -> RegistrationPolicy.verdict(100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reRegistersFiveSecondsBeforeTheGrantedIntervalEnds() {
        assertThat(RegistrationPolicy.reRegisterAfter(Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(115));
        assertThat(RegistrationPolicy.reRegisterAfter(Duration.ofSeconds(3600))).isEqualTo(Duration.ofSeconds(3595));
        assertThat(RegistrationPolicy.reRegisterAfter(Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aLostConnectionFailsOverAtOnceThenBacksOffUpToTheFailedRenewalRetry() {
        assertThat(RegistrationPolicy.afterLostConnection(0)).isZero();
        assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(RegistrationPolicy::afterLostConnection).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L);
        assertThat(RegistrationPolicy.afterLostConnection(1_000)).isEqualTo(RegistrationPolicy.RETRY_AFTER_FAILED_RENEWAL);
        assertThatThrownBy(() -> RegistrationPolicy.afterLostConnection(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCallManagerWhoseConnectionWasLostIsTriedLast() {
        CallManagerTarget a = new CallManagerTarget(1, "a", 5061, SipTransport.TLS);
        CallManagerTarget b = new CallManagerTarget(2, "b", 5061, SipTransport.TLS);
        CallManagerTarget c = new CallManagerTarget(3, "c", 5061, SipTransport.TLS);
        assertThat(RegistrationPolicy.lostLast(List.of(a, b, c), a)).containsExactly(b, c, a);
        assertThat(RegistrationPolicy.lostLast(List.of(a, b, c), b)).containsExactly(a, c, b);
        assertThat(RegistrationPolicy.lostLast(List.of(a, b), new CallManagerTarget(1, "z", 5061, SipTransport.TLS))).containsExactly(a, b);
    }
}
