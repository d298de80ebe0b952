package org.phoneemu.tls.client;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client trust manager that lets every server chain through the TLS handshake, ON PURPOSE: a Cisco phone does
 * not judge a server by a CA chain but by its own trust lists (CTL, ITL), its TVS cache and TVS. That judgement
 * is made on the peer certificate right after the handshake, before the first application byte is written (see
 * {@code TrustGate}, which every client of this module and the CAPF client go through); a refused peer gets
 * nothing but a close. Never use this class where no such post-handshake decision follows.
 *
 * <p>It extends {@link X509ExtendedTrustManager} so the JDK does not wrap it with its own host-name check: the
 * phone connects by IP address and the trust lists, not the host name, decide.
 */
public final class DeferredTrustManager extends X509ExtendedTrustManager {
    public static final DeferredTrustManager INSTANCE = new DeferredTrustManager();

    private DeferredTrustManager() {
    }

    private static void requireChain(X509Certificate[] chain) throws java.security.cert.CertificateException {
        if (chain == null || chain.length == 0) {
            throw new java.security.cert.CertificateException("the server sent no certificate");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws java.security.cert.CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws java.security.cert.CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("client-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
