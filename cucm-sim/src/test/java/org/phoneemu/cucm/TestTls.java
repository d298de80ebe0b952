package org.phoneemu.cucm;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A TLS client that accepts any server certificate, so tests can look at what the server presents. */
final class TestTls {
    private TestTls() {
    }

    /** Accepts every certificate: the tests look at what the server presents, they do not judge it. */
    private static final TrustManager ACCEPT_ANY = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /** A client context that accepts any server certificate. */
    static SSLContext context() throws Exception {
        return context(null);
    }

    /** The same, presenting the certificate of {@code keys} when the server asks for one ({@code null}: none). */
    static SSLContext context(KeyManager[] keys) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, new TrustManager[] {ACCEPT_ANY}, null);
        return ctx;
    }

    static SSLSocket connect(InetSocketAddress to) throws Exception {
        return connect(to, null);
    }

    /** The same from a chosen local address ({@code null}: any), to test per-address limits. */
    static SSLSocket connect(InetSocketAddress to, java.net.InetAddress from) throws Exception {
        SSLSocket s = (SSLSocket) context().getSocketFactory().createSocket(to.getAddress(), to.getPort(), from, 0);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** A connection offering only {@code protocols} and {@code ciphers} (as a phone model does), handshake done. */
    static SSLSocket connect(InetSocketAddress to, java.util.List<String> protocols, java.util.List<String> ciphers) throws Exception {
        SSLSocket s = (SSLSocket) context().getSocketFactory().createSocket(to.getAddress(), to.getPort());
        s.setSoTimeout(10_000);
        s.setEnabledProtocols(protocols.toArray(String[]::new));
        if (!ciphers.isEmpty()) {
            s.setEnabledCipherSuites(ciphers.toArray(String[]::new));
        }
        s.startHandshake();
        return s;
    }

    static X509Certificate peer(SSLSocket s) throws Exception {
        return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
}
