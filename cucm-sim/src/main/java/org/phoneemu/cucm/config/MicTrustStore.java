package org.phoneemu.cucm.config;

import java.util.Optional;

/**
 * The CUCM trust stores that decide whether a phone's MIC is accepted: CallManager-trust (the SIP registrar's TLS
 * client check) and CAPF-trust (CAPF's "by existing certificate"). The simulated manufacturing root is in both by
 * default (cluster file {@code manufacturingRoots}).
 */
public enum MicTrustStore {
    CALLMANAGER_TRUST("CallManager-trust"),
    CAPF_TRUST("CAPF-trust");

    private final String cliName;

    MicTrustStore(String cliName) {
        this.cliName = cliName;
    }

    /** The name OS Administration and the CLI give it. */
    public String cliName() {
        return cliName;
    }

    public static Optional<MicTrustStore> fromCli(String name) {
        for (MicTrustStore s : values()) {
            if (s.cliName.equalsIgnoreCase(name.trim())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** "CallManager-trust, CAPF-trust", for messages. */
    public static String known() {
        return String.join(", ", java.util.Arrays.stream(values()).map(MicTrustStore::cliName).toList());
    }
}
