package org.phoneemu.tls.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
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
    /** One context per profile for {@link #handler}: its key manager gives each connection its phone's identity. */
    private static final java.util.Map<TlsProfile, SslContext> SHARED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final ConnectionKeyManager IDENTITIES = new ConnectionKeyManager();

    private ClientTls() {
    }

    /**
     * The TLS handler of one new connection presenting {@code clientCertificate} (when given) and offering what a
     * phone of {@code profile} offers, from one context shared by every phone of the profile. Trust is deferred to the
     * phone as with {@link #context}. The engine is made without the peer's host, so no connection resumes another's
     * session: every handshake presents its own phone's certificate and receives the server's chain for the phone's
     * check. The identity is dropped when the handshake is over, however it ends.
     */
    public static SslHandler handler(ByteBufAllocator alloc, Optional<KeyMaterial> clientCertificate, TlsProfile profile) {
        return handlers(clientCertificate, profile).apply(alloc);
    }

    /**
     * As {@link #handler}, the shared context built (or found) now: what cannot be offered or presented (a profile
     * this JVM cannot negotiate, a certificate without its key) fails here, before any connection.
     */
    public static java.util.function.Function<ByteBufAllocator, SslHandler> handlers(Optional<KeyMaterial> clientCertificate, TlsProfile profile) {
        requireKey(clientCertificate);
        SslContext shared = SHARED.computeIfAbsent(profile, p -> buildWith(Optional.of(IDENTITIES), p));
        return alloc -> newHandler(shared, alloc, clientCertificate);
    }

    private static SslHandler newHandler(SslContext shared, ByteBufAllocator alloc, Optional<KeyMaterial> clientCertificate) {
        SslHandler h = shared.newHandler(alloc);
        if (clientCertificate.isPresent()) {
            javax.net.ssl.SSLEngine engine = h.engine();
            IDENTITIES.present(engine, clientCertificate.get());
            h.handshakeFuture().addListener(f -> IDENTITIES.forget(engine));
        }
        return h;
    }

    /** Identities {@link #handler} holds: connections whose handshake is not over. */
    static int identitiesHeld() {
        return IDENTITIES.size();
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
        requireKey(clientCertificate);
        return buildWith(clientCertificate.map(SingleKeyManager::new), profile);
    }

    private static void requireKey(Optional<KeyMaterial> clientCertificate) {
        if (clientCertificate.isPresent() && clientCertificate.get().privateKey() == null) {
            throw new IllegalArgumentException("client certificate without its private key");
        }
    }

    /** The one place a client context is built: the phone's protocols and suites of {@code profile}, trust deferred. */
    private static SslContext buildWith(Optional<? extends javax.net.ssl.X509ExtendedKeyManager> keys, TlsProfile profile) {
        if (profile.integrityOnly() && !NullSuites.negotiable()) {
            // Refused here rather than left to the handshake: offering an encrypting suite instead would be silent.
            throw new IllegalStateException(NullSuites.unavailable());
        }
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(DeferredTrustManager.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .protocols(profile.protocols());
        if (!profile.ciphers().isEmpty()) {
            b.ciphers(profile.ciphers());
        }
        keys.ifPresent(b::keyManager);
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
