package org.phoneemu.core.sip;

import java.util.Optional;

/**
 * The configuration's {@code deviceSecurityMode}, the device security profile CUCM applied: 1 Non Secure,
 * 2 Authenticated (TLS for integrity: NULL-SHA), 3 Encrypted (TLS with an encrypting suite, and SRTP).
 */
public enum DeviceSecurityMode {
    NON_SECURE(1, "Non Secure"),
    AUTHENTICATED(2, "Authenticated"),
    ENCRYPTED(3, "Encrypted");

    private final int code;
    private final String displayName;

    DeviceSecurityMode(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    public int code() {
        return code;
    }

    /** As CUCM's administration pages and the phone's Security Configuration menu write it. */
    public String displayName() {
        return displayName;
    }

    /** Authenticated or Encrypted. */
    public boolean secure() {
        return this != NON_SECURE;
    }

    /** The mode of a configuration's element; absent or unknown values read as Non Secure, as the phone reads them. */
    public static DeviceSecurityMode of(Optional<Integer> code) {
        int c = code.orElse(1);
        for (DeviceSecurityMode m : values()) {
            if (m.code == c) {
                return m;
            }
        }
        return NON_SECURE;
    }
}
