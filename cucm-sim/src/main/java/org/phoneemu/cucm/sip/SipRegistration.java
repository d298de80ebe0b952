package org.phoneemu.cucm.sip;

import java.time.Instant;
import org.phoneemu.core.sip.SipTransport;

/** A device registered to a node: over which transport, until when, from which contact. */
public record SipRegistration(String deviceName, String node, SipTransport transport, Instant expires, String contact) {
}
