package org.phoneemu.cucm.net;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client can make a TLS server (TVS, HTTPS) hold (docs/LIMITS.md).
 *
 * @param handshakeTimeout        the TLS handshake must end within this, counted from the TCP accept
 * @param requestTimeout          after the handshake, and after each response, the next whole request must arrive
 *                                within this; unlike an idle timer it does not restart on each byte, so a client
 *                                dripping one byte at a time cannot keep a connection
 * @param maxConnections          connections open at once; a connection beyond is closed as soon as it is accepted
 * @param maxConnectionsPerClient connections open at once from one client address
 */
public record ConnectionLimits(Duration handshakeTimeout, Duration requestTimeout, int maxConnections, int maxConnectionsPerClient) {
    public ConnectionLimits {
        Objects.requireNonNull(handshakeTimeout);
        Objects.requireNonNull(requestTimeout);
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("connection caps must be positive");
        }
    }

    /** 10 s for the handshake, 30 s for each request, 1,024 connections, 256 per client address. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 1024, 256);
    }

    public ConnectionLimits withTimeouts(Duration handshake, Duration request) {
        return new ConnectionLimits(handshake, request, maxConnections, maxConnectionsPerClient);
    }

    public ConnectionLimits withConnections(int total, int perClient) {
        return new ConnectionLimits(handshakeTimeout, requestTimeout, total, perClient);
    }
}
