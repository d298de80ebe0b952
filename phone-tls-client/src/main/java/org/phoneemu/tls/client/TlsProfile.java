package org.phoneemu.tls.client;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.SipTlsOffer;

/**
 * What a phone offers in its TLS handshakes, by model. Phones of the 79xx/69xx era speak TLS 1.2 with
 * AES256-SHA (seed 003: "tvsSSLHandShake Session ciphers - AES256-SHA"); later models also offer TLS 1.3.
 */
public enum TlsProfile {
    /** TLS 1.2 only, TLS_RSA_WITH_AES_256_CBC_SHA (OpenSSL: AES256-SHA). */
    TLS12_AES256_SHA(List.of("TLSv1.2"), List.of("TLS_RSA_WITH_AES_256_CBC_SHA")),
    /** TLS 1.3 and 1.2 with the JDK's default suites. */
    CURRENT(SipTlsOffer.ENCRYPTED.protocols(), SipTlsOffer.ENCRYPTED.suites()),
    /** An Authenticated phone's SIP-TLS: TLS 1.2 with NULL-SHA only ({@link SipTlsOffer#AUTHENTICATED}; needs {@link NullSuites}). */
    SIP_AUTHENTICATED(SipTlsOffer.AUTHENTICATED.protocols(), SipTlsOffer.AUTHENTICATED.suites());

    private static final Pattern DEVICE = Pattern.compile("CP-(\\d{4})[A-Z]{0,3}-SEP[0-9A-F]{12}");

    private final List<String> protocols;
    private final List<String> ciphers;

    TlsProfile(List<String> protocols, List<String> ciphers) {
        this.protocols = protocols;
        this.ciphers = ciphers;
    }

    public List<String> protocols() {
        return protocols;
    }

    /** The suites offered; empty: the provider's defaults. */
    public List<String> ciphers() {
        return ciphers;
    }

    /** The profile of a phone's SIP-TLS connection in device security mode {@code mode} ({@link SipTlsOffer#forMode}). */
    public static TlsProfile forSip(DeviceSecurityMode mode) {
        return SipTlsOffer.forMode(mode).equals(SipTlsOffer.AUTHENTICATED) ? SIP_AUTHENTICATED : CURRENT;
    }

    /** Whether every suite offered encrypts nothing (the JVM must allow NULL suites: {@link NullSuites}). */
    public boolean integrityOnly() {
        return new SipTlsOffer(protocols, ciphers).integrityOnly();
    }

    /** The profile of the phone named {@code deviceName} ({@code CP-7970-SEP…}); {@link #CURRENT} for any other name. */
    public static TlsProfile forDeviceName(String deviceName) {
        Matcher m = DEVICE.matcher(deviceName == null ? "" : deviceName);
        if (!m.matches()) {
            return CURRENT;
        }
        String n = m.group(1);
        return n.startsWith("79") || n.startsWith("69") || n.equals("3905") ? TLS12_AES256_SHA : CURRENT;
    }
}
