package org.phoneemu.cucm.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * Makes the cluster's keys and certificates with Bouncy Castle: self-signed node certificates shaped like
 * CUCM's, the CAPF, the eToken, and LSCs issued by the CAPF. Serials are positive with the configured size and
 * validity starts at the injected clock's now.
 */
public final class CertificateIssuer {
    /** CUCM's self-signed certificates, ITLRecovery included, are valid for five years. */
    public static final long VALIDITY_DAYS = 5 * 365 + 1;
    /** {@link #VALIDITY_DAYS} as a duration: what a regenerated certificate gets. */
    public static final java.time.Duration FULL_VALIDITY = java.time.Duration.ofDays(VALIDITY_DAYS);

    /** The X.509 extensions of a certificate kind. */
    public enum Profile {
        /**
         * CallManager, TVS, tomcat: key usage, extended key usage (server, client, IPsec end system), subject key
         * identifier. With a 1024-bit key, a 16-byte serial and the seed's names this is exactly the 684-byte
         * certificate of the seed ITL.
         */
        NODE,
        /** ITLRecovery: like NODE without IPsec end system (the seed's 692 bytes with its 66-byte name). */
        RECOVERY,
        /** CAPF and eToken: a CA that issues LSCs / signs the CTL. */
        AUTHORITY,
        /** A phone's LSC, issued by the CAPF. */
        PHONE
    }

    private final Map<String, String> subject;
    private final List<String> subjectOrder;
    private final int serialBytes;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param subject the attributes after the CN, most specific first (OU, O, L, ST, C), as CUCM prints them
     */
    public CertificateIssuer(Map<String, String> subject, int serialBytes, Clock clock, SecureRandom random) {
        this.subject = Map.copyOf(subject);
        this.subjectOrder = List.copyOf(subject.keySet());
        this.serialBytes = serialBytes;
        this.clock = clock;
        this.random = random;
    }

    /** A new key pair and a self-signed certificate for {@code commonName}. */
    public KeyMaterial selfSigned(String commonName, int bits, Profile profile) {
        return selfSigned(commonName, bits, profile, FULL_VALIDITY);
    }

    /** As above, valid for {@code validity} from now (a certificate the cluster file gives a shorter life). */
    public KeyMaterial selfSigned(String commonName, int bits, Profile profile, java.time.Duration validity) {
        KeyPair kp = keyPair(bits);
        X500Name name = name(commonName);
        return sign(name, kp, name, kp, profile, serialBytes, validity);
    }

    /** A new key pair and a certificate for {@code commonName} signed by {@code issuer} (an LSC by the CAPF). */
    public KeyMaterial issuedBy(KeyMaterial issuer, String commonName, int bits, Profile profile) {
        return issuedBy(issuer, commonName, bits, profile, serialBytes);
    }

    /** As above, with a serial of {@code serialBytes} bytes (an enterprise CA's size rather than the cluster's). */
    public KeyMaterial issuedBy(KeyMaterial issuer, String commonName, int bits, Profile profile, int serialBytes) {
        return issuedBy(issuer, commonName, bits, profile, serialBytes, FULL_VALIDITY);
    }

    /** As above, valid for {@code validity} from now. */
    public KeyMaterial issuedBy(KeyMaterial issuer, String commonName, int bits, Profile profile, int serialBytes,
            java.time.Duration validity) {
        KeyPair kp = keyPair(bits);
        X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        return sign(name(commonName), kp, issuerName, new KeyPair(issuer.certificate().getPublicKey(), issuer.privateKey()), profile,
                serialBytes, validity);
    }

    /** A new EC P-256 key pair and a self-signed certificate (signed with ECDSA) for {@code commonName}. */
    public KeyMaterial selfSignedEc(String commonName) {
        return selfSignedEc(commonName, FULL_VALIDITY);
    }

    /** As above, valid for {@code validity} from now. */
    public KeyMaterial selfSignedEc(String commonName, java.time.Duration validity) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = g.generateKeyPair();
            X500Name name = name(commonName);
            return sign(name, kp, name, kp, Profile.NODE, serialBytes, validity);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /** A self-signed authority named by its CN alone ({@code CN=JASBURNS-AD}), as an enterprise CA often is. */
    public KeyMaterial authority(String commonName, int bits) {
        KeyPair kp = keyPair(bits);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        return sign(name, kp, name, kp, Profile.AUTHORITY);
    }

    /** A certificate for {@code commonName} carrying a key someone else generated (a phone's, over CAPF), signed by {@code issuer}. */
    public X509Certificate certify(KeyMaterial issuer, String commonName, java.security.PublicKey key, Profile profile) {
        X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        return sign(name(commonName), new KeyPair(key, null), issuerName,
                new KeyPair(issuer.certificate().getPublicKey(), issuer.privateKey()), profile).certificate();
    }

    /** The CN of a certificate's subject. */
    public static String commonName(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        var rdns = name.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /** A random {@code CAPF-xxxxxxxx} name, as CUCM names the cluster's CAPF. */
    public String randomCapfName() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return "CAPF-" + HexFormat.of().formatHex(b);
    }

    /** A random eToken name in the style of Cisco's USB tokens. */
    public String randomEtokenName() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return "SAST-ADN" + HexFormat.of().formatHex(b);
    }

    private KeyPair keyPair(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key of " + bits + " bits", e);
        }
    }

    // BC takes names in DER order (C first); CUCM prints them CN first, so add them backwards.
    private X500Name name(String commonName) {
        List<String> types = new ArrayList<>(subjectOrder);
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        for (int i = types.size() - 1; i >= 0; i--) {
            b.addRDN(BCStyle.INSTANCE.attrNameToOID(types.get(i)), subject.get(types.get(i)));
        }
        b.addRDN(BCStyle.CN, commonName);
        return b.build();
    }

    private BigInteger serial(int size) {
        byte[] s = new byte[size];
        random.nextBytes(s);
        // Positive and of full length, like CUCM's serials (the seed's all start 0x40..0x7F).
        s[0] = (byte) ((s[0] & 0x3f) | 0x40);
        return new BigInteger(1, s);
    }

    private KeyMaterial sign(X500Name subjectName, KeyPair subjectKeys, X500Name issuerName, KeyPair issuerKeys, Profile profile) {
        return sign(subjectName, subjectKeys, issuerName, issuerKeys, profile, serialBytes);
    }

    private KeyMaterial sign(X500Name subjectName, KeyPair subjectKeys, X500Name issuerName, KeyPair issuerKeys, Profile profile,
            int serialSize) {
        return sign(subjectName, subjectKeys, issuerName, issuerKeys, profile, serialSize, FULL_VALIDITY);
    }

    private KeyMaterial sign(X500Name subjectName, KeyPair subjectKeys, X500Name issuerName, KeyPair issuerKeys, Profile profile,
            int serialSize, java.time.Duration validity) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial(serialSize), Date.from(now),
                    Date.from(now.plus(validity)), subjectName, subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            switch (profile) {
                case NODE, RECOVERY -> {
                    b.addExtension(Extension.keyUsage, false, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                            | KeyUsage.dataEncipherment | KeyUsage.keyAgreement | KeyUsage.keyCertSign));
                    KeyPurposeId[] purposes = profile == Profile.NODE
                            ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_ipsecEndSystem}
                            : new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
                    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
                }
                case AUTHORITY -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign));
                    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
                }
                case PHONE -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                }
            }
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(
                            "EC".equals(issuerKeys.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA")
                            .build(issuerKeys.getPrivate())));
            return new KeyMaterial(subjectKeys.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subjectName, e);
        }
    }
}
