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
import java.util.List;
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
 * The simulated manufacturer that issues every emulated phone's MIC, in two levels as Cisco's: a root, CN
 * {@code Cisco Root CA M2}, certifies the issuing CA, CN {@code Cisco Manufacturing CA SHA2} (pathLen 0), which signs
 * the MICs (real: cisco.com/security/pki/certs/cmca2.cer, "Cisco Manufacturing CA SHA2" issued by "Cisco Root CA M2").
 * CUCM accepts a MIC because those CAs are in its CallManager-trust and CAPF-trust stores. No I/O:
 * {@code core.store.ManufacturingCaStore} keeps both keys on disk. Thread-safe.
 *
 * <p>The issuing CA's certificate is derived, not stored: the root certifies the issuing key with fixed fields (serial,
 * dates, extensions) and an RSA PKCS#1 v1.5 signature, which is deterministic, so every process derives the same bytes.
 * This is also how a key pool written before roots existed (a self-signed {@code Cisco Manufacturing CA SHA2}) carries
 * on: its key becomes the intermediate's, so the MICs it already issued verify under the intermediate.
 */
public final class ManufacturingCa {
    /** The issuing (intermediate) CA's CN: the name of the real SHA-2 manufacturing CA. */
    public static final String COMMON_NAME = "Cisco Manufacturing CA SHA2";
    /** The root's CN: the real root above it. */
    public static final String ROOT_COMMON_NAME = "Cisco Root CA M2";
    /** The issuing CA's subject (also the subject of every pool's {@code manufacturing-ca.pem} since the first version). */
    public static final String SUBJECT_OF_ISSUING = "CN=" + COMMON_NAME + ",O=Cisco,OU=phone-emu simulated manufacturing";
    public static final String SUBJECT_OF_ROOT = "CN=" + ROOT_COMMON_NAME + ",O=Cisco,OU=phone-emu simulated manufacturing";
    /** How long a new MIC is valid (real MICs: ten years and more). */
    static final Duration MIC_VALIDITY = Duration.ofDays(3650);
    // Fixed dates: a virtual clock moved days or years ahead must not outrun the CAs (real ones run to 2037 and later).
    private static final Instant ROOT_FROM = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant ROOT_TO = Instant.parse("2099-12-31T23:59:59Z");
    /** The real intermediate's serial (cmca2.cer: serial 2). */
    private static final BigInteger INTERMEDIATE_SERIAL = BigInteger.TWO;

    private final KeyMaterial root;
    private final KeyMaterial issuing;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param root the root's key and self-signed certificate
     * @param issuingKey the issuing CA's key; its certificate (any: a pool's file holds a self-signed one) gives the subject
     * @throws IllegalArgumentException if either cannot be a CA ({@link #unusable} says why)
     */
    public ManufacturingCa(KeyMaterial root, KeyMaterial issuingKey) {
        this.root = Objects.requireNonNull(root, "root");
        Objects.requireNonNull(issuingKey, "issuingKey");
        unusable(root).or(() -> unusable(issuingKey)).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        this.issuing = new KeyMaterial(issuingKey.privateKey(), certify(root, issuingKey.certificate()), List.of(root.certificate()));
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

    /** A new two-level CA: a root and an issuing key (RSA-2048, SHA256withRSA). */
    public static ManufacturingCa generate() {
        return new ManufacturingCa(generateSelfSigned(SUBJECT_OF_ROOT), generateSelfSigned(SUBJECT_OF_ISSUING));
    }

    /**
     * A new RSA-2048 key with a self-signed CA certificate of {@code subject}: the root, or the issuing key as a pool
     * file keeps it (self-signed, so a version without roots still reads the pool and issues under it).
     */
    public static KeyMaterial generateSelfSigned(String subject) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name(subject);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(ROOT_FROM), Date.from(ROOT_TO), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate());
            return new KeyMaterial(kp.getPrivate(), new JcaX509CertificateConverter().getCertificate(b.build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the manufacturing CA: " + e.getMessage(), e);
        }
    }

    /** The intermediate: {@code issuing}'s subject and key, certified by the root with fixed fields (the same bytes every time). */
    private static X509Certificate certify(KeyMaterial root, X509Certificate issuing) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            var b = new JcaX509v3CertificateBuilder(root.certificate(), INTERMEDIATE_SERIAL, Date.from(ROOT_FROM), Date.from(ROOT_TO),
                    issuing.getSubjectX500Principal(), issuing.getPublicKey())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(issuing.getPublicKey()));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(root.privateKey());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("cannot certify the manufacturing CA: " + e.getMessage(), e);
        }
    }

    /** The root certificate ({@code Cisco Root CA M2}): what CUCM's CallManager-trust and CAPF-trust hold, with {@link #intermediate}. */
    public X509Certificate root() {
        return root.certificate();
    }

    /** The issuing CA's certificate ({@code Cisco Manufacturing CA SHA2}, issued by the root): what a phone sends after its MIC. */
    public X509Certificate intermediate() {
        return issuing.certificate();
    }

    /** Root then intermediate: what the trust stores hold for MICs. */
    public List<X509Certificate> certificates() {
        return List.of(root(), intermediate());
    }

    /** The root's key and certificate, to keep it on disk. */
    public KeyMaterial rootKeyMaterial() {
        return root;
    }

    /** The issuing CA's key, its root-issued certificate and the root after it. */
    public KeyMaterial issuingKeyMaterial() {
        return issuing;
    }

    /** A MIC for {@code key}: CN {@code cn} (e.g. {@code CP-7970-SEP001122334455}), its own serial, signed by the intermediate. */
    public X509Certificate issue(String cn, PublicKey key, Clock clock) {
        try {
            X500Name subject = new X500Name("CN=" + cn + ",O=Cisco Systems Inc.,OU=phone-emu MIC");
            Date from = Date.from(clock.instant().minus(Duration.ofDays(1)));
            Date to = Date.from(clock.instant().plus(MIC_VALIDITY));
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            var b = new JcaX509v3CertificateBuilder(issuing.certificate(), serial, from, to, new javax.security.auth.x500.X500Principal(subject.getEncoded()), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuing.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuing.privateKey());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a MIC for " + cn + ": " + e.getMessage(), e);
        }
    }

    /** {@link #issue}'s MIC for {@code key} with the intermediate after it (the chain a phone presents). */
    public KeyMaterial issue(String cn, KeyPair key, Clock clock) {
        return new KeyMaterial(key.getPrivate(), issue(cn, key.getPublic(), clock), List.of(intermediate()));
    }

    /** A MIC with a new RSA key of {@code bits}, the intermediate after it. */
    public KeyMaterial issueWithNewKey(String cn, int bits, Clock clock) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return issue(cn, g.generateKeyPair(), clock);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }
}
