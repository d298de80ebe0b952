package org.phoneemu.tls.client;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedKeyManager;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * A phone's key manager: it only ever presents client identities, each under an alias, and hands TLS the key and the
 * chain of the identity an alias names. Subclasses say which identities there are and which one a handshake gets.
 */
abstract class ClientKeyManager extends X509ExtendedKeyManager {
    /** The identity under {@code alias}; null when there is none (TLS asks with aliases it was given earlier). */
    abstract KeyMaterial identity(String alias);

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
    public final X509Certificate[] getCertificateChain(String alias) {
        KeyMaterial k = alias == null ? null : identity(alias);
        return k == null ? null : k.chain().toArray(new X509Certificate[0]); // the leaf, then the issuers it carries (a MIC's intermediate)
    }

    @Override
    public final PrivateKey getPrivateKey(String alias) {
        KeyMaterial k = alias == null ? null : identity(alias);
        return k == null ? null : k.privateKey();
    }

    @Override
    public final String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public final String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
