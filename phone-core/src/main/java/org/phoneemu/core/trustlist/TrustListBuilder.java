package org.phoneemu.core.trustlist;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.signedfile.FormatVersion;
import org.phoneemu.core.signedfile.internal.SignedFileBuilder;
import org.phoneemu.core.trustlist.internal.RecordTag;

/**
 * Builds ITL and CTL files the way CUCM lays them out: each record 1, 2 (empty DNSNAME), 3, 4, 5, 6, 7, 8,
 * then 9 (full certificate) or 11 + 12 (SHA-1 hash only).
 */
public final class TrustListBuilder {
    private final TrustListKind kind;
    private final List<byte[]> records = new ArrayList<>();
    private NameStyle nameStyle = NameStyle.CUCM;
    private DigestAlgorithm digest = DigestAlgorithm.SHA1;
    private FormatVersion signerVersion;
    private long timestamp;
    private String filename;
    private boolean hasEcKey;

    public TrustListBuilder(TrustListKind kind) {
        this.kind = Objects.requireNonNull(kind);
        this.filename = kind == TrustListKind.CTL ? "CTLFile.tlv" : "ITLFile.tlv";
    }

    public TrustListBuilder nameStyle(NameStyle style) {
        this.nameStyle = Objects.requireNonNull(style);
        return this;
    }

    public TrustListBuilder digest(DigestAlgorithm digest) {
        this.digest = Objects.requireNonNull(digest);
        return this;
    }

    /** Tag 28 in the header; set automatically to 1.1 when a record holds an EC key. */
    public TrustListBuilder signerVersion(FormatVersion version) {
        this.signerVersion = version;
        return this;
    }

    public TrustListBuilder timestamp(long epochSeconds) {
        this.timestamp = epochSeconds;
        return this;
    }

    public TrustListBuilder filename(String filename) {
        this.filename = Objects.requireNonNull(filename);
        return this;
    }

    /** A record carrying the full certificate (SAST, CCM+TFTP, TFTP in CUCM's ITL). */
    public TrustListBuilder addCertificate(Role role, X509Certificate cert) {
        return addRecord(role, cert, true, null);
    }

    /** A record carrying only the SHA-1 of the certificate (TVS and CAPF in CUCM's ITL). */
    public TrustListBuilder addCertificateHash(Role role, X509Certificate cert) {
        return addRecord(role, cert, false, null);
    }

    /** A CTL record with an IP address (kept as opaque bytes: the layout is not public). */
    public TrustListBuilder addCertificate(Role role, X509Certificate cert, byte[] ipAddress) {
        return addRecord(role, cert, true, ipAddress);
    }

    /** Any role code, including ones CUCM may add later. */
    public TrustListBuilder addRecord(int roleCode, X509Certificate cert, boolean fullCertificate) {
        return addRecord(roleCode, cert, fullCertificate, null);
    }

    /** A blank record, as in the ITL of "Prepare Cluster for Rollback to pre-8.0". */
    public TrustListBuilder addBlank(Role role) {
        SignedFileBuilder.Tlv body = new SignedFileBuilder.Tlv();
        body.value(RecordTag.DNS_NAME.code(), new byte[2]);
        body.u16(RecordTag.FUNCTION.code(), role.code());
        records.add(withLength(body));
        return this;
    }

    private TrustListBuilder addRecord(Role role, X509Certificate cert, boolean full, byte[] ip) {
        return addRecord(role.code(), cert, full, ip);
    }

    private TrustListBuilder addRecord(int roleCode, X509Certificate cert, boolean full, byte[] ip) {
        byte[] der = Certificates.der(cert);
        SignedFileBuilder.Tlv body = new SignedFileBuilder.Tlv();
        body.value(RecordTag.DNS_NAME.code(), new byte[2]);
        body.value(RecordTag.SUBJECT_NAME.code(), cString(DistinguishedNames.format(cert.getSubjectX500Principal(), nameStyle)));
        body.u16(RecordTag.FUNCTION.code(), roleCode);
        body.value(RecordTag.ISSUER_NAME.code(), cString(DistinguishedNames.format(cert.getIssuerX500Principal(), nameStyle)));
        body.value(RecordTag.SERIAL_NUMBER.code(), Certificates.serialBytes(cert.getSerialNumber()));
        body.value(RecordTag.PUBLIC_KEY.code(), encodeKey(cert.getPublicKey()));
        body.value(RecordTag.SIGNATURE.code(), cert.getSignature());
        if (ip != null) {
            body.value(RecordTag.IP_ADDRESS.code(), ip);
        }
        if (full) {
            body.value(RecordTag.CERTIFICATE.code(), der);
        } else {
            body.value(RecordTag.CERT_HASH.code(), DigestAlgorithm.SHA1.digest(der));
            body.value(RecordTag.HASH_ALGORITHM.code(), new byte[] {(byte) DigestAlgorithm.SHA1.code()});
        }
        records.add(withLength(body));
        return this;
    }

    private static byte[] withLength(SignedFileBuilder.Tlv body) {
        int length = 5 + body.size();
        if (length > 0xffff) {
            throw new IllegalArgumentException("record of " + length + " bytes does not fit a u16 length");
        }
        byte[] b = body.bytes();
        byte[] out = new byte[length];
        out[0] = 1;
        out[1] = 0;
        out[2] = 2;
        out[3] = (byte) (length >> 8);
        out[4] = (byte) length;
        System.arraycopy(b, 0, out, 5, b.length);
        return out;
    }

    private byte[] encodeKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            try {
                return new DERSequence(new ASN1Integer[] {new ASN1Integer(rsa.getModulus()), new ASN1Integer(rsa.getPublicExponent())})
                        .getEncoded();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        if (key instanceof ECPublicKey ec) {
            hasEcKey = true;
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            byte[] out = new byte[1 + 2 * size];
            out[0] = 4;
            copyFixed(ec.getW().getAffineX().toByteArray(), out, 1, size);
            copyFixed(ec.getW().getAffineY().toByteArray(), out, 1 + size, size);
            return out;
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    private static void copyFixed(byte[] src, byte[] dst, int at, int size) {
        int skip = Math.max(0, src.length - size);
        int pad = Math.max(0, size - src.length);
        System.arraycopy(src, skip, dst, at + pad, src.length - skip);
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /** Signs the list with {@code signer} (its certificate names the signer in the header). */
    public byte[] build(KeyMaterial signer) {
        int total = records.stream().mapToInt(r -> r.length).sum();
        byte[] body = new byte[total];
        int at = 0;
        for (byte[] r : records) {
            System.arraycopy(r, 0, body, at, r.length);
            at += r.length;
        }
        X509Certificate cert = signer.certificate();
        FormatVersion version = signerVersion != null ? signerVersion : hasEcKey ? FormatVersion.SIGNER_1_1 : null;
        byte[] file = new SignedFileBuilder()
                .version(FormatVersion.TRUST_LIST)
                .signerVersion(version)
                .signer(DistinguishedNames.format(cert.getSubjectX500Principal(), nameStyle),
                        DistinguishedNames.format(cert.getIssuerX500Principal(), nameStyle),
                        Certificates.serialBytes(cert.getSerialNumber()))
                .signingKey(signer.privateKey())
                .digest(digest)
                .filename(filename)
                .timestamp(timestamp)
                .body(body)
                .build();
        if (file.length > TrustList.MAX_SIZE) {
            throw new IllegalStateException(kind + " of " + file.length + " bytes is over the 64 KB a trust list can hold");
        }
        return file;
    }
}
