package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.ManufacturingCa;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.store.ManufacturingCaStore;
import org.phoneemu.cucm.pki.internal.TrustChain;

/**
 * MIC chains of two levels (root, intermediate, MIC), judged by {@link TrustChain} and, independently, by
 * {@code openssl verify -CAfile <store> -untrusted <presented intermediates> <mic>}: on every good and bad chain the two
 * agree. TrustChain's store may hold the intermediate alone (CUCM ships both levels); OpenSSL needs
 * {@code -partial_chain} to take a non-root as the anchor, which the last test shows.
 */
class MicChainOpenSslTest {
    static final Instant NOW = Instant.now();
    static final String MIC = "CN=CP-8851-SEP001122334455,O=Cisco Systems Inc.";

    @TempDir
    Path tmp;

    record Issued(KeyPair key, X509Certificate cert) {
    }

    @BeforeAll
    static void openssl() {
        ExternalTools.require("openssl");
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048); // Debian's OpenSSL refuses RSA keys under 2048 bits at its default security level
        return g.generateKeyPair();
    }

    /** A certificate for {@code subject}, signed by {@code issuer} (self-signed when null), valid over [from, to]. */
    static Issued cert(String subject, Issued issuer, BasicConstraints bc, KeyUsage ku, Instant from, Instant to) throws Exception {
        KeyPair kp = rsa();
        X500Name issuerName = new X500Name(issuer == null ? subject : issuer.cert().getSubjectX500Principal().getName());
        var b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(to),
                new X500Name(subject), kp.getPublic());
        if (bc != null) {
            b.addExtension(Extension.basicConstraints, true, bc);
        }
        if (ku != null) {
            b.addExtension(Extension.keyUsage, true, ku);
        }
        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuer == null ? kp.getPrivate() : issuer.key().getPrivate());
        return new Issued(kp, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
    }

    static Issued cert(String subject, Issued issuer, BasicConstraints bc, KeyUsage ku) throws Exception {
        return cert(subject, issuer, bc, ku, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    }

    static Issued ca(String subject, Issued issuer) throws Exception {
        return cert(subject, issuer, new BasicConstraints(true), new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }

    static Issued mic(Issued issuer) throws Exception {
        return cert(MIC, issuer, new BasicConstraints(false), new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    }

    /** TrustChain's answer for {@code presented} (MIC first) against {@code store}, after checking that OpenSSL gives the same. */
    boolean judged(List<X509Certificate> presented, List<X509Certificate> store, String... opensslOptions) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "case");
        Path storeFile = write(dir.resolve("store.pem"), store);
        Path untrusted = write(dir.resolve("untrusted.pem"), presented.subList(1, presented.size()));
        Path leaf = write(dir.resolve("mic.pem"), presented.subList(0, 1));
        List<String> cmd = new ArrayList<>(List.of("openssl", "verify"));
        cmd.addAll(List.of(opensslOptions));
        cmd.addAll(List.of("-CAfile", storeFile.toString()));
        if (presented.size() > 1) {
            cmd.addAll(List.of("-untrusted", untrusted.toString()));
        }
        cmd.add(leaf.toString());
        ExternalTools.Result r = ExternalTools.run(cmd, new byte[0], 30);
        boolean ours = TrustChain.chains(presented, store, Instant.now());
        assertThat(ours).as("TrustChain agrees with %s: %s", cmd, r.output()).isEqualTo(r.exitCode() == 0);
        return ours;
    }

    static Path write(Path f, List<X509Certificate> certs) throws Exception {
        Files.writeString(f, PemFiles.toPem(certs.toArray()), StandardCharsets.US_ASCII);
        return f;
    }

    @Test
    void aGoodChainIsAcceptedByBoth() throws Exception {
        Issued root = ca("CN=Test Root CA M2", null);
        Issued intermediate = ca("CN=Test Manufacturing CA SHA2", root);
        Issued mic = mic(intermediate);
        assertThat(judged(List.of(mic.cert(), intermediate.cert()), List.of(root.cert()))).isTrue();
    }

    @Test
    void anIntermediateThatIsNotACaIsRefusedByBoth() throws Exception {
        Issued root = ca("CN=Test Root CA M2", null);
        Issued notCa = cert("CN=Test Manufacturing CA SHA2", root, new BasicConstraints(false), new KeyUsage(KeyUsage.keyCertSign));
        Issued noBasicConstraints = cert("CN=Test Manufacturing CA SHA2", root, null, new KeyUsage(KeyUsage.keyCertSign));
        Issued noCertSign = cert("CN=Test Manufacturing CA SHA2", root, new BasicConstraints(true), new KeyUsage(KeyUsage.digitalSignature));
        for (Issued bad : List.of(notCa, noBasicConstraints, noCertSign)) {
            assertThat(judged(List.of(mic(bad).cert(), bad.cert()), List.of(root.cert()))).isFalse();
        }
    }

    @Test
    void withoutTheRootInTheStoreTheChainIsRefusedByBoth() throws Exception {
        Issued root = ca("CN=Test Root CA M2", null);
        Issued otherRoot = ca("CN=Another Root", null);
        Issued intermediate = ca("CN=Test Manufacturing CA SHA2", root);
        List<X509Certificate> presented = List.of(mic(intermediate).cert(), intermediate.cert());
        assertThat(judged(presented, List.of(otherRoot.cert()))).isFalse();
        // A root of the same name but another key is not the root either.
        Issued impostor = ca("CN=Test Root CA M2", null);
        assertThat(judged(presented, List.of(impostor.cert()))).isFalse();
        // Nor is the phone's word for it: a root it sends itself does not anchor anything.
        assertThat(judged(List.of(presented.get(0), intermediate.cert(), root.cert()), List.of(otherRoot.cert()))).isFalse();
    }

    @Test
    void anExpiredOrNotYetValidIntermediateIsRefusedByBoth() throws Exception {
        Issued root = ca("CN=Test Root CA M2", null);
        KeyUsage ku = new KeyUsage(KeyUsage.keyCertSign);
        Issued expired = cert("CN=Test Manufacturing CA SHA2", root, new BasicConstraints(true), ku,
                NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));
        Issued notYet = cert("CN=Test Manufacturing CA SHA2", root, new BasicConstraints(true), ku,
                NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
        for (Issued bad : List.of(expired, notYet)) {
            assertThat(judged(List.of(mic(bad).cert(), bad.cert()), List.of(root.cert()))).isFalse();
        }
    }

    @Test
    void aPathLengthIsHeldToByBoth() throws Exception {
        Issued root = cert("CN=Test Root CA M2", null, new BasicConstraints(1), new KeyUsage(KeyUsage.keyCertSign));
        Issued first = ca("CN=First Intermediate", root);
        Issued second = ca("CN=Second Intermediate", first);
        assertThat(judged(List.of(mic(first).cert(), first.cert()), List.of(root.cert()))).isTrue();
        assertThat(judged(List.of(mic(second).cert(), second.cert(), first.cert()), List.of(root.cert()))).as("two CAs under pathLen 1").isFalse();
        Issued zero = cert("CN=Zero Root", null, new BasicConstraints(0), new KeyUsage(KeyUsage.keyCertSign));
        Issued under = ca("CN=Under Zero", zero);
        assertThat(judged(List.of(mic(under).cert(), under.cert()), List.of(zero.cert()))).as("a CA under pathLen 0").isFalse();
        Issued open = ca("CN=Open Root", null);
        Issued a = ca("CN=First Intermediate", open);
        Issued b = ca("CN=Second Intermediate", a);
        assertThat(judged(List.of(mic(b).cert(), b.cert(), a.cert()), List.of(open.cert()))).as("no pathLen").isTrue();
    }

    @Test
    void aMicThatIsACaOrSelfSignedIsRefusedByBoth() throws Exception {
        Issued root = ca("CN=Test Root CA M2", null);
        Issued intermediate = ca("CN=Test Manufacturing CA SHA2", root);
        Issued caMic = cert(MIC, intermediate, new BasicConstraints(true), null);
        assertThat(TrustChain.chains(List.of(caMic.cert(), intermediate.cert()), List.of(root.cert()), Instant.now()))
                .as("a CA is never a MIC (OpenSSL would take it: it does not ask the leaf's kind)").isFalse();
        Issued self = cert(MIC, null, new BasicConstraints(false), null);
        assertThat(judged(List.of(self.cert(), intermediate.cert()), List.of(root.cert()))).isFalse();
    }

    /** A critical extension neither knows is refused by OpenSSL: TrustChain refuses it too, on an intermediate or on the MIC. */
    @Test
    void anUnknownCriticalExtensionIsRefusedByBoth() throws Exception {
        Issued root = ca("CN=Test Root CA M2", null);
        Issued marked = withUnknownCriticalExtension("CN=Test Manufacturing CA SHA2", root, new BasicConstraints(true),
                new KeyUsage(KeyUsage.keyCertSign));
        assertThat(judged(List.of(mic(marked).cert(), marked.cert()), List.of(root.cert()))).isFalse();
        Issued intermediate = ca("CN=Test Manufacturing CA SHA2", root);
        Issued markedMic = withUnknownCriticalExtension(MIC, intermediate, new BasicConstraints(false),
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        assertThat(judged(List.of(markedMic.cert(), intermediate.cert()), List.of(root.cert()))).isFalse();
        // The same with the extension not critical: both accept.
        assertThat(judged(List.of(mic(intermediate).cert(), intermediate.cert()), List.of(root.cert()))).isTrue();
    }

    static Issued withUnknownCriticalExtension(String subject, Issued issuer, BasicConstraints bc, KeyUsage ku) throws Exception {
        KeyPair kp = rsa();
        var b = new JcaX509v3CertificateBuilder(new X500Name(issuer.cert().getSubjectX500Principal().getName()),
                BigInteger.valueOf(System.nanoTime()), Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(30))),
                new X500Name(subject), kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, bc);
        b.addExtension(Extension.keyUsage, true, ku);
        b.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), true, org.bouncycastle.asn1.DERNull.INSTANCE);
        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuer.key().getPrivate());
        return new Issued(kp, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
    }

    /** CUCM ships the intermediate too: as an anchor it accepts a MIC sent alone (OpenSSL: with {@code -partial_chain}). */
    @Test
    void theIntermediateInTheStoreIsAnAnchorByItself() throws Exception {
        Issued root = ca("CN=Test Root CA M2", null);
        Issued intermediate = ca("CN=Test Manufacturing CA SHA2", root);
        Issued mic = mic(intermediate);
        assertThat(judged(List.of(mic.cert()), List.of(intermediate.cert()), "-partial_chain")).isTrue();
        assertThat(judged(List.of(mic.cert()), List.of(root.cert()))).as("the MIC alone, the store without the intermediate").isFalse();
    }

    /** The simulated manufacturing CA's own chain, and a MIC issued by a key pool of the one-level CA, still trusted. */
    @Test
    void theSimulatedCaAndAnOldKeyPoolsMicsPass() throws Exception {
        ManufacturingCa ca = ManufacturingCaStore.open(tmp.resolve("pool"));
        KeyMaterial mic = ca.issueWithNewKey("CP-8851-SEP001122334455", 2048, Clock.systemUTC());
        assertThat(judged(mic.chain(), List.of(ca.root()))).isTrue();
        assertThat(judged(mic.chain(), ca.certificates())).isTrue();

        // A MIC the one-level CA issued (signed by the pool's key, issuer its self-signed certificate) before the pool
        // gained its root: the simulator still takes it (same key, same issuer name as the intermediate). OpenSSL does
        // not: the MIC's authority key identifier names the old certificate's issuer and serial, which the
        // intermediate's are not (docs/SIP.md 7a).
        Path old = Files.createDirectory(tmp.resolve("old-pool"));
        KeyMaterial oneLevel = ManufacturingCa.generateSelfSigned(ManufacturingCa.SUBJECT_OF_ISSUING);
        Files.writeString(old.resolve("manufacturing-ca.pem"), PemFiles.toPem(oneLevel.privateKey(), oneLevel.certificate()), StandardCharsets.US_ASCII);
        X509Certificate oldMic = new ManufacturingCa(oneLevel, oneLevel).issue("CP-7970-SEP001122334466", rsa().getPublic(), Clock.systemUTC());
        ManufacturingCa migrated = ManufacturingCaStore.open(old);
        assertThat(PemFile.readWithKey(old.resolve("manufacturing-ca.pem")).certificate()).isEqualTo(oneLevel.certificate());
        assertThat(TrustChain.chains(List.of(oldMic, migrated.intermediate()), List.of(migrated.root()), Instant.now())).isTrue();
        assertThat(TrustChain.chains(oldMic, migrated.certificates(), Instant.now())).as("an old flash's MIC, sent alone").isTrue();
        // New MICs of the migrated pool pass both.
        assertThat(judged(migrated.issueWithNewKey("CP-7970-SEP001122334477", 2048, Clock.systemUTC()).chain(), List.of(migrated.root()))).isTrue();
    }
}
