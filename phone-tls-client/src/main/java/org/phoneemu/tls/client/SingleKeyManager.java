package org.phoneemu.tls.client;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * The phone's one client key and certificate, handed to TLS as they are. A key manager built from a key store
 * would first encrypt the key into a PKCS#12 store (a PBKDF2 run per TLS context), which dominated a fleet's TVS
 * queries; this one costs nothing to build.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "phone";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleKeyManager(KeyMaterial k) {
        this.key = k.privateKey();
        this.chain = k.chain().toArray(new X509Certificate[0]); // a MIC with its intermediate after it
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return fits(key, keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return fits(key, keyType) ? ALIAS : null;
    }

    /** The server may ask for key types ("RSA", "EC"); offer a key only for its own. */
    static boolean fits(PrivateKey key, String[] keyTypes) {
        if (keyTypes == null) {
            return true;
        }
        for (String t : keyTypes) {
            if (t != null && t.equalsIgnoreCase(key.getAlgorithm())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
