package org.phoneemu.tls.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.phoneemu.core.pki.KeyMaterial;

/** TLS client contexts for the phone's outgoing connections: JDK provider, trust deferred to the phone. */
public final class ClientTls {
    private static final java.util.Map<TlsProfile, SslContext> ANONYMOUS = new java.util.concurrent.ConcurrentHashMap<>();

    private ClientTls() {
    }

    /**
     * A client context presenting {@code clientCertificate} (the phone's LSC or MIC) when given, and accepting
     * any server chain at the TLS layer only (see {@link DeferredTrustManager}).
     */
    public static SslContext context(Optional<KeyMaterial> clientCertificate) {
        return context(clientCertificate, TlsProfile.CURRENT);
    }

    /** As {@link #context(Optional)}, offering what a phone of {@code profile} offers. */
    public static SslContext context(Optional<KeyMaterial> clientCertificate, TlsProfile profile) {
        if (clientCertificate.isEmpty()) {
            return ANONYMOUS.computeIfAbsent(profile, p -> build(Optional.empty(), p));
        }
        return build(clientCertificate, profile);
    }

    private static SslContext build(Optional<KeyMaterial> clientCertificate, TlsProfile profile) {
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(DeferredTrustManager.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .protocols(profile.protocols());
        if (!profile.ciphers().isEmpty()) {
            b.ciphers(profile.ciphers());
        }
        clientCertificate.ifPresent(k -> {
            if (k.privateKey() == null) {
                throw new IllegalArgumentException("client certificate without its private key");
            }
            b.keyManager(new SingleKeyManager(k));
        });
        try {
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS client context: " + e.getMessage(), e);
        }
    }

    /** The server's leaf certificate of a completed handshake. */
    public static Optional<X509Certificate> peerCertificate(SSLSession session) {
        try {
            java.security.cert.Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                return Optional.of(x);
            }
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
