package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.pki.ManufacturingCa;
import org.phoneemu.cucm.pki.internal.TrustChain;

/**
 * The MIC rule of the registrar and CAPF: an end-entity certificate named {@code CP-<model>-SEP<MAC>}, issued by a
 * store certificate that may issue certificates; never its own authority.
 */
class MicChainRuleTest {
    static final Instant NOW = Instant.now();

    record Issued(KeyPair key, X509Certificate cert) {
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        return g.generateKeyPair();
    }

    /** A certificate for {@code subject}, signed by {@code issuer} (self-signed when null), with the given extensions. */
    static Issued cert(String subject, Issued issuer, BasicConstraints bc, KeyUsage ku) throws Exception {
        KeyPair kp = rsa();
        X500Name issuerName = new X500Name(issuer == null ? subject : issuer.cert().getSubjectX500Principal().getName());
        var b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(System.nanoTime()), Date.from(NOW.minus(Duration.ofDays(1))),
                Date.from(NOW.plus(Duration.ofDays(30))), new X500Name(subject), kp.getPublic());
        if (bc != null) {
            b.addExtension(Extension.basicConstraints, true, bc);
        }
        if (ku != null) {
            b.addExtension(Extension.keyUsage, true, ku);
        }
        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuer == null ? kp.getPrivate() : issuer.key().getPrivate());
        return new Issued(kp, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
    }

    @Test
    void theIssuerMustBeACaThatMaySignCertificates() throws Exception {
        Issued goodRoot = cert("CN=Good Root", null, new BasicConstraints(true), new KeyUsage(KeyUsage.keyCertSign));
        Issued noUsageRoot = cert("CN=Plain Root", null, new BasicConstraints(true), null);
        Issued noCertSign = cert("CN=No CertSign", null, new BasicConstraints(true), new KeyUsage(KeyUsage.digitalSignature));
        Issued notCa = cert("CN=Not A CA", null, new BasicConstraints(false), null);
        String mic = "CN=CP-8851-SEP001122334455";
        assertThat(TrustChain.chains(cert(mic, goodRoot, null, null).cert(), List.of(goodRoot.cert()), NOW)).isTrue();
        assertThat(TrustChain.chains(cert(mic, noUsageRoot, new BasicConstraints(false), null).cert(), List.of(noUsageRoot.cert()), NOW)).isTrue();
        assertThat(TrustChain.chains(cert(mic, noCertSign, null, null).cert(), List.of(noCertSign.cert()), NOW)).isFalse();
        assertThat(TrustChain.chains(cert(mic, notCa, null, null).cert(), List.of(notCa.cert()), NOW)).isFalse();
    }

    @Test
    void aCaCertificateIsNotAMic() throws Exception {
        Issued root = cert("CN=Good Root", null, new BasicConstraints(true), new KeyUsage(KeyUsage.keyCertSign));
        Issued subCa = cert("CN=CP-8851-SEP001122334455", root, new BasicConstraints(true), null);
        assertThat(TrustChain.chains(subCa.cert(), List.of(root.cert()), NOW)).isFalse();
    }

    @Test
    void aStoreEntryDoesNotAuthoriseItself() throws Exception {
        Issued root = cert("CN=Good Root", null, new BasicConstraints(true), new KeyUsage(KeyUsage.keyCertSign));
        Issued selfSigned = cert("CN=CP-8851-SEP001122334455", null, null, null);
        assertThat(TrustChain.chains(selfSigned.cert(), List.of(selfSigned.cert()), NOW)).isFalse();
        assertThat(TrustChain.chains(root.cert(), List.of(root.cert()), NOW)).isFalse();
        // Issued by a store root, and also in the store itself: it chains through the root, not through itself.
        Issued mic = cert("CN=CP-8851-SEP001122334455", root, null, null);
        assertThat(TrustChain.chains(mic.cert(), List.of(mic.cert()), NOW)).isFalse();
        assertThat(TrustChain.root(mic.cert(), List.of(mic.cert(), root.cert()), NOW)).contains(root.cert());
    }

    @Test
    void aMicNameIsExactlyCpModelSepMac() {
        assertThat(ClusterCapf.isMicName("CP-8851-SEP001122334455", "SEP001122334455")).isTrue();
        assertThat(ClusterCapf.isMicName("CP-7965G-SEP00112233445a", "SEP00112233445A")).isTrue();
        assertThat(ClusterCapf.isMicName("CP-8851-SEP001122334455", "SEP001122334466")).isFalse();
        assertThat(ClusterCapf.isMicName("anything-SEP001122334455", "SEP001122334455")).isFalse();
        assertThat(ClusterCapf.isMicName("CP-88 51-SEP001122334455", "SEP001122334455")).isFalse();
        assertThat(ClusterCapf.isMicName("CP--SEP001122334455", "SEP001122334455")).isFalse();
        assertThat(ClusterCapf.isMicName("XCP-8851-SEP001122334455", "SEP001122334455")).isFalse();
        assertThat(ClusterCapf.isMicName("CP-8851-SEP0011223344556", "SEP001122334455")).isFalse();
    }

    /** What the project issues (ManufacturingCa, named as PhoneBuilder and the fleet's MicPool name them) passes both. */
    @Test
    void theMicsThisProjectIssuesPass() {
        ManufacturingCa ca = ManufacturingCa.generate();
        Mac mac = Mac.parseWritten("001122334455").orElseThrow();
        for (String model : List.of("7970", "8851", "7965G")) {
            String cn = mac.tvsDeviceName(model);
            var mic = ca.issueWithNewKey(cn, 1024, Clock.systemUTC());
            assertThat(ClusterCapf.isMicName(cn, mac.deviceName())).as(cn).isTrue();
            assertThat(TrustChain.chains(mic.chain(), List.of(ca.root()), Instant.now())).as(cn).isTrue();
            assertThat(TrustChain.chains(mic.certificate(), List.of(ca.intermediate()), Instant.now())).as(cn).isTrue();
            assertThat(TrustChain.chains(mic.certificate(), List.of(ca.root()), Instant.now())).as("%s without its intermediate", cn).isFalse();
        }
    }
}
