package org.phoneemu.tls.client;

import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.SSLEngine;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * The phone's one client key and certificate, handed to TLS as they are. A key manager built from a key store
 * would first encrypt the key into a PKCS#12 store (a PBKDF2 run per TLS context), which dominated a fleet's TVS
 * queries; this one costs nothing to build.
 */
final class SingleKeyManager extends ClientKeyManager {
    private static final String ALIAS = "phone";
    private final KeyMaterial key;

    SingleKeyManager(KeyMaterial k) {
        this.key = k;
    }

    @Override
    KeyMaterial identity(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return fits(key.privateKey(), keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return fits(key.privateKey(), keyType) ? ALIAS : null;
    }
}
