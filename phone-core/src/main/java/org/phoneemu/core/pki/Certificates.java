package org.phoneemu.core.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** Small certificate helpers: parsing DER, hashing DER, serials as files store them. */
public final class Certificates {
    private Certificates() {
    }

    /** Parses a DER certificate, or empty when the bytes are not one. */
    public static Optional<X509Certificate> parse(byte[] der) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            return Optional.of((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    public static byte[] hash(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex MD5 of the DER: the {@code certHash} of an encrypted-config stub. */
    public static String md5Hex(X509Certificate cert) {
        return HexFormat.of().formatHex(hash("MD5", der(cert)));
    }

    public static String sha1Hex(X509Certificate cert) {
        return HexFormat.of().formatHex(hash("SHA-1", der(cert)));
    }

    /** The serial's magnitude without the DER sign byte, as ITL/CTL files store it. */
    public static byte[] serialBytes(BigInteger serial) {
        byte[] b = serial.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            return Arrays.copyOfRange(b, 1, b.length);
        }
        return b;
    }

    /** Serial as CUCM prints it: upper-case hex bytes joined by ':'. */
    public static String serialDisplay(byte[] serial) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < serial.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02X", serial[i] & 0xff));
        }
        return sb.toString();
    }

    /**
     * Ends every reason that rests on an expiry rule no source states (an expired ITLRecovery or eToken signer, a server,
     * the phone's own LSC or MIC), so that {@code predict} can label the verdict "assumed".
     */
    public static final String EXPIRY_ASSUMED = "(assumed: expiry of this certificate is not documented)";

    /** Whether {@code cert} is past its end date at {@code now}: the one end-date rule (signers, TLS peers, own LSC/MIC, TVS). */
    public static boolean expired(X509Certificate cert, java.time.Instant now) {
        return now.isAfter(cert.getNotAfter().toInstant());
    }
}
