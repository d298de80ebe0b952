package org.phoneemu.cucm.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * What one judgment may cost: a phone chooses the chain it presents, and the registrar judges it on every REGISTER on the
 * event loop. A hostile chain (CAs of two names issuing each other with two keys, every link a good signature) must not
 * make it check hundreds of signatures.
 */
class TrustChainBoundsTest {
    static final Instant NOW = Instant.now();
    static final AtomicLong SERIAL = new AtomicLong(1);

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024); // TrustChain does not judge key sizes; small keys keep the test quick
        return g.generateKeyPair();
    }

    static X509Certificate cert(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, BasicConstraints bc)
            throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(SERIAL.getAndIncrement()),
                Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(30))), new X500Name(subject),
                subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, bc);
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate())));
    }

    /** The device's certificate issued by X, then {@code intermediates} CAs alternating X (issued by Y) and Y (issued by X). */
    static List<X509Certificate> hostile(int intermediates) throws Exception {
        KeyPair x = rsa();
        KeyPair y = rsa();
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert("CN=CP-8851-SEP001122334455", rsa(), "CN=X", x, new BasicConstraints(false)));
        for (int i = 0; i < intermediates; i++) {
            chain.add(i % 2 == 0 ? cert("CN=X", x, "CN=Y", y, new BasicConstraints(true)) : cert("CN=Y", y, "CN=X", x, new BasicConstraints(true)));
        }
        return chain;
    }

    static List<X509Certificate> store() throws Exception {
        KeyPair root = rsa();
        return List.of(cert("CN=Root", root, "CN=Root", root, new BasicConstraints(true)));
    }

    @Test
    void aHostileChainOfTenIsRefusedWithinTheBudget() throws Exception {
        TrustChain.Budget budget = new TrustChain.Budget();
        assertThat(TrustChain.anchor(hostile(9), store(), Instant.now(), budget)).isEmpty();
        assertThat(budget.verifications()).isLessThanOrEqualTo(TrustChain.MAX_VERIFICATIONS);
    }

    @Test
    void aHostileChainOfAllowedLengthIsRefusedWithinTheBudget() throws Exception {
        TrustChain.Budget budget = new TrustChain.Budget();
        assertThat(TrustChain.anchor(hostile(TrustChain.MAX_INTERMEDIATES), store(), Instant.now(), budget)).isEmpty();
        assertThat(budget.verifications()).isLessThanOrEqualTo(TrustChain.MAX_VERIFICATIONS);
    }

    @Test
    void aChainLongerThanAnyMicChainIsRefusedBeforeAnySignatureCheck() throws Exception {
        TrustChain.Budget budget = new TrustChain.Budget();
        assertThat(TrustChain.anchor(hostile(TrustChain.MAX_INTERMEDIATES + 1), store(), Instant.now(), budget)).isEmpty();
        assertThat(budget.verifications()).isZero();
    }
}
