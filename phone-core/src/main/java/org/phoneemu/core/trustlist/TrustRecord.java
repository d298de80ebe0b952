package org.phoneemu.core.trustlist;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.signedfile.Bytes;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.signedfile.SignerId;
import org.phoneemu.core.trustlist.internal.RecordTag;

/**
 * One record of an ITL or CTL. It carries either a full certificate or a certificate hash; it matches a
 * presented certificate when issuer + serial match and the certificate bytes (or their hash) match.
 */
public final class TrustRecord {
    private final int index;
    private final int offset;
    private final int length;
    private final List<RecordField> fields;
    private final int roleCode;
    private final String subjectName;
    private final String issuerName;
    private final Bytes serial;
    private final Bytes publicKey;
    private final Bytes certificate;
    private final Bytes certHash;
    private final int certHashAlgorithm;
    private volatile Optional<X509Certificate> parsedCertificate;
    private volatile Optional<PublicKey> parsedKey;

    TrustRecord(int index, int offset, int length, List<RecordField> fields) {
        this.index = index;
        this.offset = offset;
        this.length = length;
        this.fields = List.copyOf(fields);
        this.roleCode = (int) find(RecordTag.FUNCTION).map(Bytes::asUnsigned).orElse(-1L).longValue();
        this.subjectName = find(RecordTag.SUBJECT_NAME).map(Bytes::asCString).orElse("");
        this.issuerName = find(RecordTag.ISSUER_NAME).map(Bytes::asCString).orElse("");
        this.serial = find(RecordTag.SERIAL_NUMBER).orElse(Bytes.EMPTY);
        this.publicKey = find(RecordTag.PUBLIC_KEY).orElse(Bytes.EMPTY);
        this.certificate = find(RecordTag.CERTIFICATE).filter(b -> !b.isEmpty()).orElse(null);
        this.certHash = find(RecordTag.CERT_HASH).filter(b -> !b.isEmpty()).orElse(null);
        this.certHashAlgorithm = (int) find(RecordTag.HASH_ALGORITHM).map(Bytes::asUnsigned).orElse(1L).longValue();
    }

    private Optional<Bytes> find(RecordTag tag) {
        for (RecordField f : fields) {
            if (f.tag() == tag.code()) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /** 1-based position in the list, as {@code show itl} numbers records. */
    public int index() {
        return index;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public List<RecordField> fields() {
        return fields;
    }

    /** The FUNCTION code, kept even when unknown; -1 when the record has none. */
    public int roleCode() {
        return roleCode;
    }

    public Optional<Role> role() {
        return Optional.ofNullable(Role.of(roleCode));
    }

    public boolean hasRole(Role role) {
        return roleCode == role.code();
    }

    public String roleName() {
        return Role.displayName(roleCode);
    }

    public String subjectName() {
        return subjectName;
    }

    public String issuerName() {
        return issuerName;
    }

    public Bytes serial() {
        return serial;
    }

    public BigInteger serialNumber() {
        return new BigInteger(1, serial.toArray());
    }

    public Bytes publicKeyBytes() {
        return publicKey;
    }

    /** The full DER certificate, when the record carries one. */
    public Optional<Bytes> certificateDer() {
        return Optional.ofNullable(certificate);
    }

    public Optional<Bytes> certHash() {
        return Optional.ofNullable(certHash);
    }

    public int certHashAlgorithm() {
        return certHashAlgorithm;
    }

    /** A rollback ("Prepare Cluster for Rollback to pre-8.0") record: no certificate, no hash, no key. */
    public boolean isBlank() {
        return certificate == null && certHash == null && publicKey.isEmpty();
    }

    public Optional<X509Certificate> certificate() {
        Optional<X509Certificate> c = parsedCertificate;
        if (c == null) {
            c = certificate == null ? Optional.empty() : Certificates.parse(certificate.toArray());
            parsedCertificate = c;
        }
        return c;
    }

    /** Is this the record of the signer named in a file header (issuer + serial)? */
    public boolean namesSigner(SignerId signer) {
        return !serial.isEmpty() && serialNumber().equals(signer.serialNumber())
                && DistinguishedNames.sameName(issuerName, signer.issuer());
    }

    /** Does this record vouch for {@code cert}: issuer + serial, then the certificate bytes or their hash? */
    public boolean matches(X509Certificate cert) {
        if (serial.isEmpty() || !serialNumber().equals(cert.getSerialNumber())
                || !DistinguishedNames.sameName(issuerName, cert.getIssuerX500Principal())) {
            return false;
        }
        byte[] der = Certificates.der(cert);
        if (certificate != null) {
            return Arrays.equals(certificate.toArray(), der);
        }
        if (certHash != null) {
            DigestAlgorithm algorithm = DigestAlgorithm.of(certHashAlgorithm);
            return algorithm != null && Arrays.equals(certHash.toArray(), algorithm.digest(der));
        }
        return false;
    }

    /**
     * The record's public key: from PUBLICKEY (RSA PKCS#1, or an uncompressed EC point under signer
     * version 1.1), else from the certificate. Empty when neither yields a key.
     */
    public Optional<PublicKey> publicKey() {
        Optional<PublicKey> k = parsedKey;
        if (k == null) {
            k = decodeKey();
            parsedKey = k;
        }
        return k;
    }

    private Optional<PublicKey> decodeKey() {
        byte[] raw = publicKey.toArray();
        if (raw.length > 0 && raw[0] == 0x30) {
            try {
                org.bouncycastle.asn1.pkcs.RSAPublicKey rsa =
                        org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(ASN1Primitive.fromByteArray(raw));
                return Optional.of(KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())));
            } catch (Exception e) {
                return certificate().map(X509Certificate::getPublicKey);
            }
        }
        if (raw.length > 0 && raw[0] == 0x04) {
            Optional<PublicKey> fromCert = certificate().map(X509Certificate::getPublicKey);
            if (fromCert.isPresent()) {
                return fromCert;
            }
            return ecKey(raw);
        }
        return certificate().map(X509Certificate::getPublicKey);
    }

    private static Optional<PublicKey> ecKey(byte[] point) {
        String curve = switch (point.length) {
            case 65 -> "secp256r1";
            case 97 -> "secp384r1";
            case 133 -> "secp521r1";
            default -> null;
        };
        if (curve == null) {
            return Optional.empty();
        }
        try {
            int n = (point.length - 1) / 2;
            BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + n));
            BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + n, point.length));
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(curve));
            ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
            return Optional.of(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "record #" + index + " (" + roleName() + ", " + subjectName + ")";
    }
}
