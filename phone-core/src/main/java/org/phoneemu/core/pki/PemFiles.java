package org.phoneemu.core.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * PEM text holding a private key and/or a certificate, parsed and written without touching files; reading a PEM file
 * by path is {@code core.io.PemFile}.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /** Thrown when a PEM file cannot be used; the message is fit for a user. */
    public static final class PemException extends Exception {
        public PemException(String message) {
            super(message);
        }
    }

    /**
     * The first private key (may be absent) and first certificate (required) of PEM text read from {@code source}; the
     * certificates after the first are its issuers (a MIC's intermediate), as TLS sends them.
     */
    @SuppressWarnings("unchecked")
    public static KeyMaterial parse(String text, String source) throws PemException {
        Object[] found = scan(text, source);
        if (found[1] == null) {
            throw new PemException(source + " holds no certificate");
        }
        return new KeyMaterial((PrivateKey) found[0], (X509Certificate) found[1], (java.util.List<X509Certificate>) found[2]);
    }

    /** The first private key and first certificate of PEM text; both are required. */
    public static KeyMaterial parseWithKey(String text, String source) throws PemException {
        KeyMaterial m = parse(text, source);
        if (m.privateKey() == null) {
            throw new PemException(source + " holds no private key");
        }
        return m;
    }

    /** The first private key of PEM text; a certificate is not needed. */
    public static PrivateKey parsePrivateKey(String text, String source) throws PemException {
        Object key = scan(text, source)[0];
        if (key == null) {
            throw new PemException(source + " holds no private key");
        }
        return (PrivateKey) key;
    }

    private static Object[] scan(String text, String source) throws PemException {
        PrivateKey key = null;
        X509Certificate cert = null;
        java.util.List<X509Certificate> more = new java.util.ArrayList<>();
        try (Reader r = new StringReader(text); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair && key == null) {
                    key = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info && key == null) {
                    key = converter.getPrivateKey(info);
                } else if (o instanceof X509CertificateHolder holder) {
                    X509Certificate c = Certificates.parse(holder.getEncoded())
                            .orElseThrow(() -> new IOException("unreadable certificate"));
                    if (cert == null) {
                        cert = c;
                    } else {
                        more.add(c);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new PemException(source + " is not a readable PEM file: " + e.getMessage());
        }
        return new Object[] {key, cert, more};
    }

    public static String toPem(Object... objects) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey k && "EC".equals(k.getAlgorithm())) {
                    // PKCS#8: the traditional "EC PRIVATE KEY" form would lose the curve the JDK keeps only in the
                    // PKCS#8 algorithm identifier, and neither this reader nor OpenSSL could read the key back.
                    w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null));
                } else {
                    w.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }
}
