package org.phoneemu.cucm;

import java.util.Locale;
import java.util.Optional;

/** Services {@code utils service restart} knows, by CUCM's names. */
public enum ClusterService {
    /** Restarting it re-signs the ITL with the node's CallManager key and reloads the ITLRecovery record. */
    TFTP("Cisco Tftp"),
    /** TVS: reloads its certificate store (the simulator's TVS always answers from the current store). */
    TVS("Cisco Trust Verification Service"),
    CALLMANAGER("Cisco CallManager"),
    TOMCAT("Cisco Tomcat"),
    /** CAPF: issues, deletes and fetches phones' LSCs (the simulator's CAPF always serves the current settings). */
    CAPF("Cisco Certificate Authority Proxy Function");

    private final String displayName;

    ClusterService(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public static Optional<ClusterService> fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ClusterService s : values()) {
            if (s.displayName.toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
