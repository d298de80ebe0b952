package org.phoneemu.core.sip;

import java.util.List;
import java.util.Objects;

/**
 * What the phone offers in its SIP-TLS handshake, by device security mode (docs/SIP.md §5), and the integrity-only suites
 * CallManager's secured SIP port accepts. The one place for "which protocols and suites for which mode": the phone's
 * client context and the simulated registrar both read it.
 *
 * <p>CUCM's Cipher Management page: "SIP interface in authenticated mode only supports NULL-SHA ciphers", for TLS 1.2 and
 * lower. So an Authenticated phone offers TLS 1.2 with {@value #NULL_SHA} alone (that it offers no encrypting suite after
 * it is inferred: configuring any SIP cipher list on CUCM ends authenticated mode, which a fallback would survive).
 *
 * @param protocols the TLS versions offered
 * @param suites    the suites offered, IANA names, in order; empty: the TLS provider's defaults (encrypting suites)
 */
public record SipTlsOffer(List<String> protocols, List<String> suites) {
    /** IANA name of OpenSSL's NULL-SHA: RSA key exchange, no encryption, HMAC-SHA1 on every record. */
    public static final String NULL_SHA = "TLS_RSA_WITH_NULL_SHA";
    /** Authenticated (mode 2): integrity, no encryption. */
    public static final SipTlsOffer AUTHENTICATED = new SipTlsOffer(List.of("TLSv1.2"), List.of(NULL_SHA));
    /** Encrypted (mode 3): TLS 1.3 and 1.2 with the provider's encrypting suites (the phone's list is not published). */
    public static final SipTlsOffer ENCRYPTED = new SipTlsOffer(List.of("TLSv1.3", "TLSv1.2"), List.of());

    public SipTlsOffer {
        protocols = List.copyOf(protocols);
        suites = List.copyOf(suites);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("no TLS protocol");
        }
    }

    /** The offer of a phone in {@code mode} (Non Secure never opens TLS; it gets the Encrypted offer if asked). */
    public static SipTlsOffer forMode(DeviceSecurityMode mode) {
        return Objects.requireNonNull(mode, "mode") == DeviceSecurityMode.AUTHENTICATED ? AUTHENTICATED : ENCRYPTED;
    }

    /** Whether every suite offered leaves the SIP messages in clear (integrity only). */
    public boolean integrityOnly() {
        return !suites.isEmpty() && suites.stream().allMatch(SipTlsOffer::isNullCipher);
    }

    /**
     * The integrity-only suites CallManager's secured SIP port accepts besides its encrypting ones. The port cannot know the
     * device before the handshake, so it accepts them from any client (CUCM's Cipher Management: NULL ciphers stay in use
     * until a cipher list is configured); which profile the device has is known only after.
     */
    public static List<String> callManagerNullSuites() {
        return AUTHENTICATED.suites();
    }

    /** Whether {@code suite} (IANA or JSSE name) encrypts nothing. */
    public static boolean isNullCipher(String suite) {
        return suite.contains("_WITH_NULL_");
    }

    /**
     * The IANA name of a negotiated suite: the JDK reports the RSA NULL suites under their SSL 3 names
     * ({@code SSL_RSA_WITH_NULL_SHA}), which IANA and the TLS 1.2 RFC name {@code TLS_RSA_WITH_NULL_SHA}.
     */
    public static String ianaName(String suite) {
        return suite.startsWith("SSL_RSA_WITH_NULL_") ? "TLS_" + suite.substring(4) : suite;
    }
}
