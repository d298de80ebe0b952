package org.phoneemu.tls.client;

import java.net.Socket;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * The key manager of a client context shared by many phones: each connection's engine is given the phone's key,
 * certificate and the issuers sent after it ({@link #present}) before its handshake, and the handshake gets that
 * identity and no other. An engine given none presents no certificate. Building a JDK context per phone cost a
 * context (and its session cache) per identity; this costs a map entry per handshake in progress.
 */
final class ConnectionKeyManager extends ClientKeyManager {
    /** The identity an engine presents, under an alias of its own. */
    private record Presented(String alias, KeyMaterial key) {
    }

    private final Map<SSLEngine, Presented> byEngine = new ConcurrentHashMap<>();
    private final Map<String, KeyMaterial> byAlias = new ConcurrentHashMap<>();
    private final AtomicLong aliases = new AtomicLong();

    /** {@code engine}'s handshakes present {@code key} until {@link #forget}; {@code engine} is compared by identity. */
    void present(SSLEngine engine, KeyMaterial key) {
        if (key.privateKey() == null) {
            throw new IllegalArgumentException("client certificate without its private key");
        }
        Presented p = new Presented("phone-" + aliases.incrementAndGet(), key);
        byAlias.put(p.alias(), key);
        byEngine.put(engine, p);
    }

    /** Drops {@code engine}'s identity (its handshake is over, or never happened). */
    void forget(SSLEngine engine) {
        Presented p = byEngine.remove(engine);
        if (p != null) {
            byAlias.remove(p.alias());
        }
    }

    /** Identities held: handshakes in progress. */
    int size() {
        return byEngine.size();
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        Presented p = engine == null ? null : byEngine.get(engine);
        return p != null && fits(p.key().privateKey(), keyTypes) ? p.alias() : null;
    }

    /** Socket connections are not made through this manager's contexts. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return byAlias.keySet().toArray(new String[0]);
    }

    @Override
    KeyMaterial identity(String alias) {
        return byAlias.get(alias);
    }
}
