package org.phoneemu.capf.api;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.pki.PhoneIdentity;

/**
 * One CAPF session as the phone starts it.
 *
 * @param server the CAPF server (the config's {@code capfList}, or given on the command line), port 3804 by default
 * @param deviceName {@code SEP<MAC>}
 * @param authMode how the phone authenticates
 * @param authString the typed authentication string (mode {@link CapfAuthMode#AUTH_STRING} only)
 * @param identity the phone's certificates as its flash held them when the request was made (on the phone's
 *                 executor): the proof in mode {@link CapfAuthMode#EXISTING_CERTIFICATE} (the LSC, else the MIC),
 *                 and what a fetch sends
 * @param trustedCapf the phone's check of the server's TLS certificate: a CAPF record of its trust lists
 */
public record CapfRequest(InetSocketAddress server, String deviceName, CapfAuthMode authMode, Optional<String> authString,
                          Optional<PhoneIdentity> identity, Predicate<X509Certificate> trustedCapf) {
    public static final int DEFAULT_PORT = 3804;

    public CapfRequest {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(authMode, "authMode");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(trustedCapf, "trustedCapf");
        if (!deviceName.matches("[\\x21-\\x7e]{1,64}")) {
            throw new IllegalArgumentException("device name must be printable ASCII: '" + deviceName + "'");
        }
        if (authMode == CapfAuthMode.AUTH_STRING) {
            String s = authString.orElseThrow(() -> new IllegalArgumentException("authentication string mode without a string"));
            CapfAuthMode.authStringProblem(s).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
        } else if (authString.isPresent()) {
            throw new IllegalArgumentException("an authentication string is only sent in authentication string mode");
        }
        if (authMode == CapfAuthMode.EXISTING_CERTIFICATE && identity.isEmpty()) {
            throw new IllegalArgumentException("existing certificate mode, but the phone holds no LSC or MIC");
        }
    }

    /** The mode chosen from what the user gave: a string → by authentication string; else by null string. */
    public static CapfAuthMode modeFor(Optional<String> authString, boolean useExistingCertificate) {
        if (authString.isPresent()) {
            return CapfAuthMode.AUTH_STRING;
        }
        return useExistingCertificate ? CapfAuthMode.EXISTING_CERTIFICATE : CapfAuthMode.NULL_STRING;
    }
}
