package org.phoneemu.core.config;

import java.util.Objects;

/**
 * The digest user and password the phone answers a challenge with (docs/SIP.md §12): CUCM writes the device's Digest
 * User and its end user's digest credentials into the configuration ({@code <sipLines><line><authName>},
 * {@code <authPassword>}). The password never appears in {@link #toString()}.
 */
public record DigestCredentials(String user, String password) {
    public DigestCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("a digest user must not be empty");
        }
    }

    @Override
    public String toString() {
        return "DigestCredentials[user=" + user + ", password=(" + password.length() + " characters)]";
    }
}
