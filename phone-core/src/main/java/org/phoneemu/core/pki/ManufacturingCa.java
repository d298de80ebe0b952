package org.phoneemu.core.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The simulated manufacturer that issues every emulated phone's MIC. Real MICs are issued by Cisco's manufacturing
 * CAs ("Cisco Manufacturing CA SHA2", "CAP-RTP-002", under "Cisco Root CA M2"); CUCM accepts a MIC because those roots
 * are in its CallManager-trust and CAPF-trust stores. This one is a single RSA-2048 root that signs the MICs directly
 * (no intermediate). No I/O: {@code core.store.ManufacturingCaStore} keeps it on disk. Thread-safe.
 */
public final class ManufacturingCa {
    /** The root's CN: the name of the real SHA-2 manufacturing CA, with an OU that says it is simulated. */
    public static final String COMMON_NAME = "Cisco Manufacturing CA SHA2";
    static final String SUBJECT = "CN=" + COMMON_NAME + ",O=Cisco,OU=phone-emu simulated manufacturing";
    /** How long a new MIC is valid (real MICs: ten years and more). */
    static final Duration MIC_VALIDITY = Duration.ofDays(3650);
    // Fixed dates: a virtual clock moved days or years ahead must not outrun the root (real ones run to 2037 and later).
    private static final Instant ROOT_FROM = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant ROOT_TO = Instant.parse("2099-12-31T23:59:59Z");

    private final KeyMaterial root;
    private final SecureRandom random = new SecureRandom();

    /** @throws IllegalArgumentException if {@code root} cannot be this CA ({@link #unusable} says why) */
    public ManufacturingCa(KeyMaterial root) {
        this.root = Objects.requireNonNull(root, "root");
        unusable(root).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
    }

    /**
     * Why {@code m} cannot be the manufacturing CA, or empty: an RSA key, the key of the certificate, and a
     * certificate that may issue MICs (CA:true; keyCertSign when it has a keyUsage), as {@code TrustChain} requires.
     */
    public static Optional<String> unusable(KeyMaterial m) {
        if (m.privateKey() == null) {
            return Optional.of("it holds no private key");
        }
        if (!"RSA".equals(m.privateKey().getAlgorithm()) || !(m.certificate().getPublicKey() instanceof RSAPublicKey)) {
            return Optional.of("its key is not RSA");
        }
        if (m.certificate().getBasicConstraints() < 0) {
            return Optional.of("its certificate is not a CA (no basicConstraints CA:true)");
        }
        boolean[] usage = m.certificate().getKeyUsage();
        if (usage != null && (usage.length <= 5 || !usage[5])) {
            return Optional.of("its certificate may not sign certificates (keyUsage without keyCertSign)");
        }
        if (!keyMatches(m)) {
            return Optional.of("its private key is not the key of its certificate");
        }
        return Optional.empty();
    }

    private static boolean keyMatches(KeyMaterial m) {
        try {
            byte[] probe = "phone-emu manufacturing CA key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(m.privateKey());
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(m.certificate().getPublicKey());
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** A new root (RSA-2048, SHA256withRSA, CA:true). */
    public static ManufacturingCa generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name(SUBJECT);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(ROOT_FROM), Date.from(ROOT_TO), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate());
            return new ManufacturingCa(new KeyMaterial(kp.getPrivate(), new JcaX509CertificateConverter().getCertificate(b.build(signer))));
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the manufacturing CA: " + e.getMessage(), e);
        }
    }

    /** The root certificate: what CUCM's CallManager-trust and CAPF-trust hold for MICs. */
    public X509Certificate root() {
        return root.certificate();
    }

    /** Key and certificate, to keep the root on disk. */
    public KeyMaterial keyMaterial() {
        return root;
    }

    /** A MIC for {@code key}: CN {@code cn} (e.g. {@code CP-7970-SEP001122334455}), its own serial, signed by the root. */
    public X509Certificate issue(String cn, PublicKey key, Clock clock) {
        try {
            X500Name subject = new X500Name("CN=" + cn + ",O=Cisco Systems Inc.,OU=phone-emu MIC");
            Date from = Date.from(clock.instant().minus(Duration.ofDays(1)));
            Date to = Date.from(clock.instant().plus(MIC_VALIDITY));
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            var b = new JcaX509v3CertificateBuilder(root.certificate(), serial, from, to, new javax.security.auth.x500.X500Principal(subject.getEncoded()), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(root.privateKey());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a MIC for " + cn + ": " + e.getMessage(), e);
        }
    }

    /** A MIC with a new RSA key of {@code bits}. */
    public KeyMaterial issueWithNewKey(String cn, int bits, Clock clock) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            KeyPair kp = g.generateKeyPair();
            return new KeyMaterial(kp.getPrivate(), issue(cn, kp.getPublic(), clock));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }
}
