package org.phoneemu.core.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.phoneemu.core.pki.KeyMaterial;

/** Self-signed certificates for tests, made with Bouncy Castle. */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    /**
     * A self-signed RSA certificate.
     *
     * @param subject an X.500 name in BC's order, e.g. {@code "C=US,ST=nc,L=rtp,O=cisco,OU=tac,CN=test10pub.joemar2.lab"}
     * @param serialBytes size of the serial in bytes (CUCM uses 16); the top bit is set so DER adds a sign byte
     */
    public static KeyMaterial rsa(String subject, int bits, int serialBytes) {
        return rsa(subject, bits, serialBytes, RANDOM);
    }

    public static KeyMaterial rsa(String subject, int bits, int serialBytes, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, random);
            KeyPair kp = g.generateKeyPair();
            return selfSigned(kp, subject, serialBytes, "SHA256withRSA", random);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed EC certificate on {@code curve} (e.g. secp256r1). */
    public static KeyMaterial ec(String subject, String curve, int serialBytes) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve), RANDOM);
            KeyPair kp = g.generateKeyPair();
            return selfSigned(kp, subject, serialBytes, "SHA256withECDSA", RANDOM);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A self-signed RSA certificate whose subject and issuer CN is a UTF8String holding bytes that are not UTF-8
     * ({@code C3 28}): DER-valid, so TLS stacks and parsers accept it, but its name cannot be decoded as text.
     */
    public static KeyMaterial invalidUtf8Name(int bits) {
        byte[] s = new byte[16];
        RANDOM.nextBytes(s);
        return invalidUtf8Name(bits, new BigInteger(1, s));
    }

    /** The same with a chosen serial (to get past a serial check, as an impostor copying a trusted serial would). */
    public static KeyMaterial invalidUtf8Name(int bits, BigInteger serial) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, RANDOM);
            KeyPair kp = g.generateKeyPair();
            org.bouncycastle.asn1.ASN1Encodable bad = org.bouncycastle.asn1.ASN1Primitive.fromByteArray(
                    new byte[] {0x0C, 0x04, 'b', 'a', (byte) 0xC3, 0x28});
            X500Name name = new X500Name(new org.bouncycastle.asn1.x500.RDN[] {
                new org.bouncycastle.asn1.x500.RDN(org.bouncycastle.asn1.x500.style.BCStyle.O, new org.bouncycastle.asn1.DERUTF8String("lab")),
                new org.bouncycastle.asn1.x500.RDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, bad)});
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial, Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(5 * 365, ChronoUnit.DAYS)), name, kp.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate());
            return new KeyMaterial(kp.getPrivate(), new JcaX509CertificateConverter().getCertificate(b.build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyMaterial selfSigned(KeyPair kp, String subject, int serialBytes, String algorithm, SecureRandom random)
            throws Exception {
        X500Name name = new X500Name(subject);
        byte[] s = new byte[serialBytes];
        random.nextBytes(s);
        s[0] |= (byte) 0x40; // keep the full length
        BigInteger serial = new BigInteger(1, s);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial, Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(5 * 365, ChronoUnit.DAYS)), name, kp.getPublic());
        ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(kp.getPrivate());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
        return new KeyMaterial(kp.getPrivate(), cert);
    }
}
