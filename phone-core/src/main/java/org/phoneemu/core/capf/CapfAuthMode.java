package org.phoneemu.core.capf;

import java.util.Locale;
import java.util.Optional;

/** How the phone proves itself to CAPF: CUCM's "Authentication Mode" of the phone's CAPF settings. */
public enum CapfAuthMode {
    /** "By Null String": no proof at all (closed lab networks only). */
    NULL_STRING("null string"),
    /** "By Authentication String": the digits the administrator generated, typed on the phone. */
    AUTH_STRING("authentication string"),
    /** "By Existing Certificate (Precedence to LSC)": the LSC, else the MIC, as the TLS client certificate. */
    EXISTING_CERTIFICATE("existing certificate");

    private final String text;

    CapfAuthMode(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The cluster file's spelling: {@code nullString}, {@code authString}, {@code existingCertificate}. */
    public static Optional<CapfAuthMode> parse(String s) {
        String k = s.replaceAll("[\\s_-]", "").toLowerCase(Locale.ROOT);
        return switch (k) {
            case "nullstring", "bynullstring", "null" -> Optional.of(NULL_STRING);
            case "authstring", "authenticationstring", "byauthenticationstring" -> Optional.of(AUTH_STRING);
            case "existingcertificate", "byexistingcertificate", "certificate" -> Optional.of(EXISTING_CERTIFICATE);
            default -> Optional.empty();
        };
    }

    /**
     * CUCM's authentication strings are 4 to 10 digits. Returns why {@code s} is not one, or empty when it is.
     */
    public static Optional<String> authStringProblem(String s) {
        if (!s.matches("[0-9]{4,10}")) {
            return Optional.of("an authentication string is 4 to 10 digits, not '" + s + "'");
        }
        return Optional.empty();
    }
}
