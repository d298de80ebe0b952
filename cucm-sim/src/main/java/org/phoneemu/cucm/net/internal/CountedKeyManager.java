package org.phoneemu.cucm.net.internal;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * A server's key manager for one key, the JDK's own (as a context built from the key and certificate gets) told to
 * {@code used} each time a handshake takes the private key: the JDK takes it once per full handshake (to sign or to
 * decrypt with), never for a resumed one, so the count is the server's private-key operations.
 */
final class CountedKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager jdk;
    private final Runnable used;

    private CountedKeyManager(X509ExtendedKeyManager jdk, Runnable used) {
        this.jdk = jdk;
        this.used = used;
    }

    static CountedKeyManager of(KeyMaterial key, Runnable used) throws GeneralSecurityException, IOException {
        char[] password = "in-memory".toCharArray(); // the store never leaves this method
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", key.privateKey(), password, new X509Certificate[] {key.certificate()});
        KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        f.init(store, password);
        for (KeyManager m : f.getKeyManagers()) {
            if (m instanceof X509ExtendedKeyManager x) {
                return new CountedKeyManager(x, used);
            }
        }
        throw new GeneralSecurityException("no X.509 key manager from " + f.getAlgorithm());
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        PrivateKey k = jdk.getPrivateKey(alias);
        if (k != null) {
            used.run();
        }
        return k;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return jdk.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return jdk.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return jdk.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return jdk.getCertificateChain(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null; // a server's key
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
