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
    /** How many identities {@link #cachedContext} keeps contexts for (the least recently used goes first). */
    static final int CACHED_IDENTITIES = 1024;
    private static final java.util.Map<Identity, SslContext> BY_IDENTITY = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Identity, SslContext> eldest) {
            return size() > CACHED_IDENTITIES;
        }
    };

    /**
     * A client identity (key, certificate and the chain after it, compared by value) under a profile: a re-enrolled
     * phone's new LSC is another key, so it can never be handed the context of the LSC it replaced.
     */
    private record Identity(KeyMaterial key, TlsProfile profile) {
    }

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
        clientCertificate.ifPresent(k -> {
            if (k.privateKey() == null) {
                throw new IllegalArgumentException("client certificate without its private key");
            }
        });
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

    /**
     * As {@link #context(Optional, TlsProfile)}, one context per identity kept for later connections: a phone's
     * re-registrations and its failover over the CallManager group reuse it instead of building one per connection.
     * Thread-safe; bounded ({@link #CACHED_IDENTITIES}).
     */
    public static SslContext cachedContext(Optional<KeyMaterial> clientCertificate, TlsProfile profile) {
        if (clientCertificate.isEmpty()) {
            return context(clientCertificate, profile);
        }
        Identity id = new Identity(clientCertificate.get(), profile);
        synchronized (BY_IDENTITY) {
            SslContext c = BY_IDENTITY.get(id);
            if (c != null) {
                return c;
            }
        }
        SslContext built = build(clientCertificate, profile); // outside the lock: two builds at once for one identity are harmless
        synchronized (BY_IDENTITY) {
            return BY_IDENTITY.computeIfAbsent(id, k -> built);
        }
    }

    /**
     * Releases the contexts kept for {@code identity} under every profile: its LSC was replaced (CAPF re-enrolment) or
     * deleted, so none of them is needed again (a context of a new identity is another entry, never this one).
     */
    public static void forget(KeyMaterial identity) {
        synchronized (BY_IDENTITY) {
            BY_IDENTITY.keySet().removeIf(id -> id.key().equals(identity));
        }
    }

    /** How many identities have a context kept now (tests). */
    static int cachedIdentities() {
        synchronized (BY_IDENTITY) {
            return BY_IDENTITY.size();
        }
    }

    private static SslContext build(Optional<KeyMaterial> clientCertificate, TlsProfile profile) {
        clientCertificate.ifPresent(k -> {
            if (k.privateKey() == null) {
                throw new IllegalArgumentException("client certificate without its private key");
            }
        });
        return buildWith(clientCertificate.map(SingleKeyManager::new), profile);
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
