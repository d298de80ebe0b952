package org.phoneemu.cucm.sip;

import java.time.Instant;
import org.phoneemu.core.sip.SipTransport;

/**
 * A device registered to a node: over which transport, until when, from which contact, and with which TLS client
 * certificate (empty over TCP).
 */
public record SipRegistration(String deviceName, String node, SipTransport transport, Instant expires, String contact,
                              java.util.Optional<java.security.cert.X509Certificate> clientCertificate) {
}
