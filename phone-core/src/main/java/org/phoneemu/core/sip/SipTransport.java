package org.phoneemu.core.sip;

import java.util.Locale;

/** How the phone carries SIP to CallManager: TCP to the node's {@code sipPort}, or TLS to its {@code securedSipPort}. */
public enum SipTransport {
    TCP,
    TLS;

    /** The transport as a Via header names it ({@code SIP/2.0/TLS}). */
    public String viaName() {
        return name();
    }

    /** The {@code transport=} parameter of a SIP URI ({@code tls}, {@code tcp}). */
    public String uriParameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code tcp} / {@code tls} in either case; empty for anything else. */
    public static java.util.Optional<SipTransport> parse(String text) {
        if (text == null) {
            return java.util.Optional.empty();
        }
        for (SipTransport t : values()) {
            if (t.name().equalsIgnoreCase(text.trim())) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
