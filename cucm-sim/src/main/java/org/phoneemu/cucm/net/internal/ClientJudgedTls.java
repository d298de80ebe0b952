package org.phoneemu.cucm.net.internal;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * A server TLS context on a node key that an admin command can regenerate, for services that judge the phone's
 * certificate themselves after the handshake (CAPF inside its session, the SIP registrar by CUCM's rules): a client
 * certificate is asked for but optional, and any chain passes the handshake. The context is rebuilt when the key changes.
 */
public final class ClientJudgedTls {
    private final Supplier<KeyMaterial> key;
    private final String service;
    private final List<String> alsoAccepted;
    private final Runnable keyUsed;
    private KeyMaterial contextKey;
    private SslContext context;

    public ClientJudgedTls(Supplier<KeyMaterial> key, String service) {
        this(key, service, List.of());
    }

    /**
     * @param alsoAccepted suites accepted after the JDK's default ones (the secured SIP port's NULL suites): the server's
     *                     order prevails, so a client gets one of them only when it offers no default suite
     */
    public ClientJudgedTls(Supplier<KeyMaterial> key, String service, List<String> alsoAccepted) {
        this(key, service, alsoAccepted, () -> { });
    }

    /** As above, {@code keyUsed} told each time a handshake takes the private key (a full handshake; a resumed one does not). */
    public ClientJudgedTls(Supplier<KeyMaterial> key, String service, List<String> alsoAccepted, Runnable keyUsed) {
        this.key = key;
        this.service = service;
        this.alsoAccepted = List.copyOf(alsoAccepted);
        this.keyUsed = java.util.Objects.requireNonNull(keyUsed, "keyUsed");
    }

    /** The context for the key in force now. */
    public synchronized SslContext current() {
        KeyMaterial k = key.get();
        if (k != contextKey) {
            try {
                SslContextBuilder b = SslContextBuilder.forServer(CountedKeyManager.of(k, keyUsed))
                        .clientAuth(ClientAuth.OPTIONAL)
                        .trustManager(InsecureTrustManagerFactory.INSTANCE);
                if (!alsoAccepted.isEmpty()) {
                    b.ciphers(withDefaults(alsoAccepted));
                }
                context = b.build();
                contextKey = k;
            } catch (java.security.GeneralSecurityException | java.io.IOException e) { // SSLException among them
                throw new IllegalStateException("cannot make the " + service + " TLS context: " + e.getMessage(), e);
            }
        }
        return context;
    }

    private static List<String> withDefaults(List<String> extra) {
        List<String> all = new ArrayList<>();
        try {
            all.addAll(Arrays.asList(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context: " + e.getMessage(), e);
        }
        extra.stream().filter(c -> !all.contains(c)).forEach(all::add);
        return all;
    }
}
