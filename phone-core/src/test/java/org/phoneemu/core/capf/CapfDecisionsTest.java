package org.phoneemu.core.capf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.config.CapfServerEntry;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.testing.Vectors;

class CapfDecisionsTest {
    private static X509Certificate pem(String name) throws Exception {
        return PemFiles.read(Vectors.interop("certs/" + name)).certificate();
    }

    @Test
    void onlyACapfRecordOfTheTrustListsMakesACapfServerTrusted() throws Exception {
        TrustList itl = TrustList.parse(Vectors.read(Vectors.interop("itl/ITLFile.tlv")), TrustListKind.ITL);
        InstalledTrust trust = new InstalledTrust(Optional.empty(), Optional.of(itl));
        assertThat(CapfServerTrust.isTrustedCapf(trust, pem("capf.pem"))).isTrue();
        assertThat(CapfServerTrust.isTrustedCapf(trust, pem("rogue.pem"))).isFalse();
        // A TVS record is not a CAPF record.
        assertThat(CapfServerTrust.isTrustedCapf(trust, pem("tvs.pem"))).isFalse();
        assertThat(CapfServerTrust.isTrustedCapf(InstalledTrust.NONE, pem("capf.pem"))).isFalse();
    }

    private static X509Certificate issue(KeyMaterial ca, PublicKey key, Instant from, Instant to) throws Exception {
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(issuer, BigInteger.TEN,
                Date.from(from), Date.from(to), new X500Name("CN=SEP001122334455"), key)
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.privateKey())));
    }

    @Test
    void issuedLscMustCarryTheGeneratedKeyBeSignedByTheCapfAndBeValidNow() throws Exception {
        KeyMaterial capf = TestPki.rsa("CN=CAPF-1234", 1024, 16);
        KeyMaterial other = TestPki.rsa("CN=CAPF-other", 1024, 16);
        KeyPair phone = LscKeySpec.rsa(1024).generate(new SecureRandom());
        KeyPair stranger = LscKeySpec.rsa(1024).generate(new SecureRandom());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant later = now.plus(365, ChronoUnit.DAYS);

        assertThat(IssuedLscCheck.problem(issue(capf, phone.getPublic(), now, later), phone.getPublic(), capf.certificate(), now)).isEmpty();
        assertThat(IssuedLscCheck.problem(issue(capf, stranger.getPublic(), now, later), phone.getPublic(), capf.certificate(), now))
                .hasValueSatisfying(p -> assertThat(p).contains("key the phone generated"));
        assertThat(IssuedLscCheck.problem(issue(other, phone.getPublic(), now, later), phone.getPublic(), capf.certificate(), now))
                .hasValueSatisfying(p -> assertThat(p).contains("not signed by the CAPF server's key"));
        assertThat(IssuedLscCheck.problem(issue(capf, phone.getPublic(), now, later), phone.getPublic(), capf.certificate(),
                later.plusSeconds(1))).hasValueSatisfying(p -> assertThat(p).contains("not valid now"));
    }

    @Test
    void keySpecsAreTheOnesCucmOffers() {
        assertThat(LscKeySpec.supported(LscKeySpec.Algorithm.RSA, 3072)).isTrue();
        assertThat(LscKeySpec.supported(LscKeySpec.Algorithm.RSA, 512)).isFalse();
        assertThat(LscKeySpec.supported(LscKeySpec.Algorithm.EC, 224)).isFalse();
        assertThatThrownBy(() -> LscKeySpec.rsa(8192)).isInstanceOf(IllegalArgumentException.class);
        KeyPair ec = LscKeySpec.ec(384).generate(new SecureRandom());
        assertThat(((ECPublicKey) ec.getPublic()).getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
        KeyPair ec521 = LscKeySpec.ec(521).generate(new SecureRandom());
        assertThat(((ECPublicKey) ec521.getPublic()).getParams().getCurve().getField().getFieldSize()).isEqualTo(521);
        assertThat(((RSAPublicKey) LscKeySpec.rsa(1024).generate(new SecureRandom()).getPublic()).getModulus().bitLength()).isEqualTo(1024);
        assertThat(LscKeySpec.ec(256).describe()).isEqualTo("EC P-256");
    }

    private static final String CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <device>
              <fullConfig>true</fullConfig>
              <capfAuthMode>%s</capfAuthMode>
              <capfList><capf><phonePort>40123</phonePort><processNodeName>127.0.0.2</processNodeName></capf></capfList>
              %s
            </device>
            """;

    private static Optional<CapfInstruction> instruction(String mode, String op) throws Exception {
        byte[] xml = String.format(CONFIG, mode, op).getBytes(StandardCharsets.UTF_8);
        return CapfInstruction.from(PhoneConfigParser.parse(xml), xml);
    }

    @Test
    void theConfigurationSaysWhenAndHowToContactCapf() throws Exception {
        assertThat(instruction("1", "<certOperation>install</certOperation>")).hasValueSatisfying(i -> {
            assertThat(i.operation()).isEqualTo(CapfInstruction.Operation.INSTALL);
            assertThat(i.authMode()).isEqualTo(CapfAuthMode.AUTH_STRING);
            assertThat(i.servers()).containsExactly(new CapfServerEntry("127.0.0.2", 40123));
        });
        assertThat(instruction("2", "<certOperation>delete</certOperation>")).hasValueSatisfying(i ->
                assertThat(i.authMode()).isEqualTo(CapfAuthMode.EXISTING_CERTIFICATE));
        assertThat(instruction("0", "")).as("no operation pending").isEmpty();
        assertThat(instruction("7", "<certOperation>install</certOperation>")).as("unknown mode: do nothing").isEmpty();
        assertThat(instruction("0", "<certOperation>reboot</certOperation>")).isEmpty();
    }

    @Test
    void theLscAndItsKeyAreWrittenTogetherAndSurviveAPowerCycle(@TempDir Path dir) throws Exception {
        Clock clock = Clock.systemUTC();
        TrustStore store = TrustStore.open(dir, FileOps.system(), clock, new ConsoleLog("t", clock), new StatusMessages(clock));
        KeyMaterial lsc = TestPki.rsa("CN=SEP001122334455", 1024, 8);
        assertThatThrownBy(() -> store.saveLsc(lsc)).as("no MIC yet").isInstanceOf(IllegalStateException.class);
        store.saveIdentity(new PhoneIdentity(TestPki.rsa("CN=CP-7970-SEP001122334455", 1024, 8), Optional.empty()));
        assertThatThrownBy(() -> store.saveLsc(new KeyMaterial(null, lsc.certificate()))).isInstanceOf(IllegalArgumentException.class);
        store.saveLsc(lsc);
        TrustStore again = TrustStore.open(dir, FileOps.system(), clock, new ConsoleLog("t", clock), new StatusMessages(clock));
        KeyMaterial read = again.identity().orElseThrow().lsc().orElseThrow();
        assertThat(read.certificate()).isEqualTo(lsc.certificate());
        assertThat(read.privateKey().getEncoded()).isEqualTo(lsc.privateKey().getEncoded());
        assertThat(again.identity().orElseThrow().active()).isEqualTo(read);
        again.deleteLsc();
        assertThat(TrustStore.open(dir, FileOps.system(), clock, new ConsoleLog("t", clock), new StatusMessages(clock))
                .identity().orElseThrow().lsc()).isEmpty();
    }
}
