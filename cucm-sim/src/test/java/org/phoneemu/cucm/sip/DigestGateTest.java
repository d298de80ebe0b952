package org.phoneemu.cucm.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.sip.DigestAlgorithm;
import org.phoneemu.core.sip.DigestAuthorization;
import org.phoneemu.core.sip.DigestChallenge;
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.sip.codec.SipHeaders;
import org.phoneemu.sip.codec.SipMessage;

/** CUCM's digest check of a digest device's REGISTER (docs/SIP.md §12), its nonces on the injected clock, and the cluster file's keys. */
class DigestGateTest {
    static final DigestCredentials DEVICE = new DigestCredentials("jdoe", "s3cret");
    static final String NAME = "SEP001122334455";
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    static SipMessage.Request register(Optional<String> authorization) {
        SipHeaders.Builder h = SipHeaders.builder().add("CSeq", "101 REGISTER");
        authorization.ifPresent(a -> h.add("Authorization", a));
        return new SipMessage.Request("REGISTER", "sip:cucmpub.lab.example", h.build(), new byte[0]);
    }

    static DigestChallenge challenge(DigestGate.Verdict v) {
        assertThat(v).isInstanceOf(DigestGate.Verdict.Challenge.class);
        return ((DigestGate.Verdict.Challenge) v).challenge();
    }

    static Optional<String> answer(DigestChallenge c, DigestCredentials creds) {
        return Optional.of(DigestAuthorization.answer(c, creds, "REGISTER", "sip:cucmpub.lab.example", "0a4f113b", 1).headerValue());
    }

    @Test
    void aRegisterWithoutCredentialsIsChallengedInTheStationRealmAndTheRightAnswerPasses() {
        DigestGate gate = new DigestGate();
        DigestChallenge c = challenge(gate.check(register(Optional.empty()), NAME, DEVICE, T0));
        assertThat(c.realm()).isEqualTo("ccmsipline");
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.MD5);
        assertThat(c.stale()).isFalse();
        assertThat(c.headerValue()).matches("Digest realm=\"ccmsipline\", nonce=\"[A-Za-z0-9_-]{32}\", algorithm=MD5");
        assertThat(gate.check(register(answer(c, DEVICE)), NAME, DEVICE, T0.plusSeconds(1)))
                .isEqualTo(new DigestGate.Verdict.Pass("jdoe"));

        DigestGate.Verdict wrong = gate.check(register(answer(c, new DigestCredentials("jdoe", "guess"))), NAME, DEVICE, T0);
        assertThat(challenge(wrong).stale()).isFalse();
        assertThat(challenge(wrong).nonce()).isNotEqualTo(c.nonce());
        assertThat(((DigestGate.Verdict.Challenge) wrong).why()).isEqualTo("wrong digest response for user jdoe");
        assertThat(((DigestGate.Verdict.Challenge) gate.check(register(answer(c, new DigestCredentials("eve", "s3cret"))), NAME, DEVICE, T0)).why())
                .isEqualTo("digest user eve is not this device's (jdoe)");
    }

    @Test
    void aNonceIsGoodForTheNonceValidityTimeOnTheClusterClockThenStale() {
        DigestGate gate = new DigestGate();
        DigestChallenge c = challenge(gate.check(register(Optional.empty()), NAME, DEVICE, T0));
        DigestChallenge used = challenge(gate.check(register(Optional.empty()), NAME, DEVICE, T0));
        assertThat(gate.check(register(answer(used, DEVICE)), NAME, DEVICE, T0.plusSeconds(599))).isInstanceOf(DigestGate.Verdict.Pass.class);
        DigestChallenge again = challenge(gate.check(register(answer(c, DEVICE)), NAME, DEVICE, T0.plus(DigestGate.NONCE_VALIDITY)));
        assertThat(again.stale()).as("right credentials, expired nonce").isTrue();
        assertThat(gate.check(register(answer(again, DEVICE)), NAME, DEVICE, T0.plusSeconds(601))).isInstanceOf(DigestGate.Verdict.Pass.class);
    }

    @Test
    void aNonceIsUsedUpByTheRegisterItAuthorizesSoAReplayIsChallenged() {
        DigestGate gate = new DigestGate();
        DigestChallenge c = challenge(gate.check(register(Optional.empty()), NAME, DEVICE, T0));
        SipMessage.Request authorized = register(answer(c, DEVICE));
        assertThat(gate.check(authorized, NAME, DEVICE, T0.plusSeconds(1))).isInstanceOf(DigestGate.Verdict.Pass.class);
        // Someone who saw that REGISTER sends its Authorization again (the response covers method and URI, not Contact).
        DigestChallenge replayed = challenge(gate.check(authorized, NAME, DEVICE, T0.plusSeconds(2)));
        assertThat(replayed.nonce()).isNotEqualTo(c.nonce());
        assertThat(gate.check(register(answer(replayed, DEVICE)), NAME, DEVICE, T0.plusSeconds(3)))
                .as("the phone answers the fresh challenge").isInstanceOf(DigestGate.Verdict.Pass.class);
    }

    @Test
    void theNoncesANodeRemembersAreBounded() {
        DigestGate gate = new DigestGate(Duration.ofSeconds(600), 3);
        DigestChallenge first = challenge(gate.check(register(Optional.empty()), NAME, DEVICE, T0));
        for (int i = 0; i < 10; i++) {
            gate.check(register(Optional.empty()), NAME, DEVICE, T0);
        }
        assertThat(gate.size()).isEqualTo(3);
        assertThat(challenge(gate.check(register(answer(first, DEVICE)), NAME, DEVICE, T0)).stale()).as("forgotten: stale").isTrue();
        gate.check(register(Optional.empty()), NAME, DEVICE, T0.plusSeconds(700));
        assertThat(gate.size()).as("the expired ones are dropped").isEqualTo(1);
    }

    @Test
    void challengesCollectedForOneDeviceDoNotFlushAnotherDevicesNonce() {
        DigestGate gate = new DigestGate();
        DigestCredentials victim = new DigestCredentials("asmith", "other");
        DigestChallenge outstanding = challenge(gate.check(register(Optional.empty()), "SEP0011223344BB", victim, T0));
        // Anyone can send unauthenticated REGISTERs naming a digest device: each is challenged.
        for (int i = 0; i < 5000; i++) {
            gate.check(register(Optional.empty()), NAME, DEVICE, T0);
        }
        assertThat(gate.size()).as("bounded: the per-device cap for each device").isEqualTo(DigestGate.NONCES_PER_DEVICE + 1);
        assertThat(gate.check(register(answer(outstanding, victim)), "SEP0011223344BB", victim, T0.plusSeconds(1)))
                .isEqualTo(new DigestGate.Verdict.Pass("asmith"));
        assertThat(challenge(gate.check(register(answer(outstanding, victim)), NAME, victim, T0.plusSeconds(1))).stale())
                .as("a device's nonce is its own").isTrue();
    }

    @Test
    void theClusterFileGivesADevicesDigestUserAndItsConfigurationCarriesThem(@TempDir Path state) throws Exception {
        String yaml = """
                cluster: {name: d, domain: lab.example, keySizes: {default: 1024}, ports: {tftp: 0, tvs: 0, https: 0}}
                nodes: [{hostname: pub, address: 127.0.0.1}]
                devices:
                  - {mac: '001122334455', digest: {user: jdoe, password: "a<b"}}
                  - {mac: '001122334466', lsc: true, encryption: true, digest: {user: asmith, password: hidden}}
                  - {mac: '001122334477'}
                """;
        ClusterSpec spec = ClusterSpec.parse(yaml, null);
        assertThat(spec.devices().get(0).digest()).contains(new DigestCredentials("jdoe", "a<b"));
        assertThat(spec.devices().get(2).digest()).isEmpty();
        try (Cluster cluster = Cluster.builder().spec(spec).stateDirectory(state).clock(new VirtualClock(T0)).freshState(true)
                .mirrorFiles(false).build()) {
            String plain = new String(cluster.file("pub", "SEP001122334455.cnf.xml").orElseThrow(), StandardCharsets.UTF_8);
            assertThat(plain).contains("<sipProfile>", "<authName>jdoe</authName>", "<authPassword>a&lt;b</authPassword>");
            String stub = new String(cluster.file("pub", "SEP001122334466.cnf.xml.sgn").orElseThrow(), StandardCharsets.ISO_8859_1);
            assertThat(stub).as("the stub of an encrypted configuration").doesNotContain("asmith").doesNotContain("hidden");
            assertThat(new String(cluster.file("pub", "SEP001122334477.cnf.xml").orElseThrow(), StandardCharsets.UTF_8))
                    .doesNotContain("authName");
        }
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a}]\ndevices: [{mac: '001122334455', digest: {user: jdoe}}]", null))
                .isInstanceOf(ClusterSpecException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a}]\ndevices: [{mac: '001122334455', digest: {user: jdoe, "
                + "password: x, realm: y}}]", null)).isInstanceOf(ClusterSpecException.class).hasMessageContaining("realm");
    }
}
