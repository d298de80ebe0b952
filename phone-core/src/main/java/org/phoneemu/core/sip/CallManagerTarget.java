package org.phoneemu.core.sip;

import java.util.Objects;

/**
 * One CallManager of the device's group as the phone will try it: the node's name from the configuration, the port
 * for the chosen transport ({@code sipPort} for TCP, {@code securedSipPort} for TLS).
 */
public record CallManagerTarget(int priority, String node, int port, SipTransport transport) {
    public CallManagerTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(transport, "transport");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + node + " is not 1-65535");
        }
    }

    @Override
    public String toString() {
        return node + ":" + port + "/" + transport;
    }
}
