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
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.config.CapfServerEntry;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
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
        return PemFile.read(Vectors.interop("certs/" + name)).certificate();
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
        return issue(ca, key, from, to, new X500Name("CN=SEP001122334455"), false);
    }

    private static X509Certificate issue(KeyMaterial ca, PublicKey key, Instant from, Instant to, X500Name subject, boolean isCa)
            throws Exception {
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.TEN, Date.from(from), Date.from(to), subject, key);
        if (isCa) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.privateKey())));
    }

    private static final String DEVICE = "SEP001122334455";

    @Test
    void issuedLscMustCarryTheGeneratedKeyBeSignedByTheCapfAndBeValidNow() throws Exception {
        KeyMaterial capf = TestPki.rsa("CN=CAPF-1234", 1024, 16);
        KeyMaterial other = TestPki.rsa("CN=CAPF-other", 1024, 16);
        KeyPair phone = LscKeySpec.rsa(1024).generate(new SecureRandom());
        KeyPair stranger = LscKeySpec.rsa(1024).generate(new SecureRandom());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant later = now.plus(365, ChronoUnit.DAYS);

        assertThat(IssuedLscCheck.problem(issue(capf, phone.getPublic(), now, later), DEVICE, phone.getPublic(), capf.certificate(), now))
                .isEmpty();
        assertThat(IssuedLscCheck.problem(issue(capf, stranger.getPublic(), now, later), DEVICE, phone.getPublic(), capf.certificate(), now))
                .hasValueSatisfying(p -> assertThat(p).contains("key the phone generated"));
        assertThat(IssuedLscCheck.problem(issue(other, phone.getPublic(), now, later), DEVICE, phone.getPublic(), capf.certificate(), now))
                .hasValueSatisfying(p -> assertThat(p).contains("not signed by the CAPF server's key"));
        assertThat(IssuedLscCheck.problem(issue(capf, phone.getPublic(), now, later), DEVICE, phone.getPublic(), capf.certificate(),
                later.plusSeconds(1))).hasValueSatisfying(p -> assertThat(p).contains("not valid now"));
    }

    @Test
    void anLscForAnotherDeviceACaOrAForgedSubjectIsRefused() throws Exception {
        KeyMaterial capf = TestPki.rsa("CN=CAPF-1234", 1024, 16);
        KeyPair phone = LscKeySpec.rsa(1024).generate(new SecureRandom());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant later = now.plus(365, ChronoUnit.DAYS);
        assertThat(IssuedLscCheck.problem(issue(capf, phone.getPublic(), now, later, new X500Name("CN=SEP0011223344A3"), false), DEVICE,
                phone.getPublic(), capf.certificate(), now)).hasValueSatisfying(p -> assertThat(p).contains("CN=SEP0011223344A3, not to this phone"));
        assertThat(IssuedLscCheck.problem(issue(capf, phone.getPublic(), now, later, new X500Name("CN=" + DEVICE), true), DEVICE,
                phone.getPublic(), capf.certificate(), now)).hasValueSatisfying(p -> assertThat(p).contains("CA:TRUE"));
        // Two CNs: one peer reads the first, another the last; the phone installs neither.
        for (X500Name two : new X500Name[] {new X500Name("CN=" + DEVICE + ",CN=SEP0011223344A3"), new X500Name("CN=SEP0011223344A3,CN=" + DEVICE),
                new X500Name("CN=" + DEVICE + "+CN=SEP0011223344A3")}) {
            assertThat(IssuedLscCheck.problem(issue(capf, phone.getPublic(), now, later, two, false), DEVICE, phone.getPublic(),
                    capf.certificate(), now)).as(two.toString()).hasValueSatisfying(p -> assertThat(p).contains("no single common name"));
        }
        X500Name forged = new X500NameBuilder().addRDN(BCStyle.CN, DEVICE + "\n12:00:00 LSC: Installed").build();
        X500Name newline = new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERUTF8String(DEVICE + "\nLSC: Installed"))});
        for (X500Name subject : new X500Name[] {forged, newline}) {
            Optional<String> p = IssuedLscCheck.problem(issue(capf, phone.getPublic(), now, later, subject, false), DEVICE,
                    phone.getPublic(), capf.certificate(), now);
            assertThat(p).isPresent();
            assertThat(p.get()).doesNotContain("\n").doesNotContain("\r");
        }
    }

    @Test
    void theCertificateProofIsABareDigestUnderType1PaddingForRsaAndEcdsaForEc() throws Exception {
        KeyMaterial mic = TestPki.rsa("CN=CP-8841-SEP001122334455", 2048, 16);
        byte[] der = mic.certificate().getEncoded();
        CapfSignedData.Signatures s = CapfSignedData.sign(DEVICE, der, mic.privateKey());
        // The public-key operation gives the whole block 00 01 FF..FF 00 and then the bare digest (no DigestInfo) of
        // the device name, a NUL and the certificate DER, built here by hand.
        byte[] signed = concat(concat(DEVICE.getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[] {0}), der);
        javax.crypto.Cipher rsa = javax.crypto.Cipher.getInstance("RSA/ECB/NoPadding");
        rsa.init(javax.crypto.Cipher.DECRYPT_MODE, mic.certificate().getPublicKey());
        for (String[] c : new String[][] {{"SHA-1", "sha1"}, {"SHA-512", "sha512"}}) {
            byte[] digest = java.security.MessageDigest.getInstance(c[0]).digest(signed);
            byte[] expected = new byte[256];
            expected[1] = 0x01;
            java.util.Arrays.fill(expected, 2, 256 - digest.length - 1, (byte) 0xff);
            System.arraycopy(digest, 0, expected, 256 - digest.length, digest.length);
            byte[] block = rsa.doFinal(c[1].equals("sha1") ? s.sha1() : s.sha512());
            assertThat(block.length == 255 ? concat(new byte[] {0}, block) : block).as(c[0]).isEqualTo(expected);
        }
        assertThat(CapfSignedData.verify(DEVICE, der, mic.certificate().getPublicKey(), s.sha1(), s.sha512())).isTrue();
        assertThat(CapfSignedData.verify("SEP0011223344A3", der, mic.certificate().getPublicKey(), s.sha1(), s.sha512())).isFalse();
        assertThat(CapfSignedData.verify(DEVICE, der, mic.certificate().getPublicKey(), s.sha512(), s.sha1())).isFalse();
        KeyPair ec = LscKeySpec.ec(256).generate(new SecureRandom());
        CapfSignedData.Signatures e = CapfSignedData.sign(DEVICE, der, ec.getPrivate());
        assertThat(CapfSignedData.verify(DEVICE, der, ec.getPublic(), e.sha1(), e.sha512())).isTrue();
        assertThat(CapfSignedData.verify(DEVICE, new byte[] {1}, ec.getPublic(), e.sha1(), e.sha512())).isFalse();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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
