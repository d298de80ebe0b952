package org.phoneemu.cucm.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * A server TLS context on a node key that an admin command can regenerate, for services that judge the phone's
 * certificate themselves after the handshake (CAPF inside its session, the SIP registrar by CUCM's rules): a client
 * certificate is asked for but optional, and any chain passes the handshake. The context is rebuilt when the key changes.
 */
public final class ClientJudgedTls {
    private final Supplier<KeyMaterial> key;
    private final String service;
    private KeyMaterial contextKey;
    private SslContext context;

    public ClientJudgedTls(Supplier<KeyMaterial> key, String service) {
        this.key = key;
        this.service = service;
    }

    /** The context for the key in force now. */
    public synchronized SslContext current() {
        KeyMaterial k = key.get();
        if (k != contextKey) {
            try {
                context = SslContextBuilder.forServer(k.privateKey(), k.certificate())
                        .clientAuth(ClientAuth.OPTIONAL)
                        .trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .build();
                contextKey = k;
            } catch (SSLException e) {
                throw new IllegalStateException("cannot make the " + service + " TLS context: " + e.getMessage(), e);
            }
        }
        return context;
    }
}
