package org.phoneemu.cucm.config;

import java.util.Objects;
import java.util.Optional;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.LscKeySpec;

/**
 * The CAPF section of a phone's page in CCMAdmin: the pending certificate operation, how the phone must
 * authenticate, the authentication string (mode {@link CapfAuthMode#AUTH_STRING}), and the key the phone is asked
 * to generate.
 */
public record CapfSettings(CapfOperation operation, CapfAuthMode authMode, Optional<String> authString, LscKeySpec key) {
    public CapfSettings {
        Objects.requireNonNull(operation);
        Objects.requireNonNull(authMode);
        Objects.requireNonNull(key);
        if (authMode == CapfAuthMode.AUTH_STRING && authString.isEmpty()) {
            throw new IllegalArgumentException("authentication string mode needs an authentication string");
        }
    }

    public CapfSettings withOperation(CapfOperation op) {
        return new CapfSettings(op, authMode, authString, key);
    }
}
