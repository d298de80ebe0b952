package org.phoneemu.cucm.capf;

import java.time.Duration;
import org.phoneemu.capf.wire.CapfMessageDecoder;

/**
 * Bounds of the CAPF server: a TLS handshake must end within {@code handshakeTimeout}, each phone message must come
 * within {@code requestTimeout} of the server's previous one, a whole session within {@code sessionTimeout};
 * at most {@code maxConnections} sessions at a time, {@code maxConnectionsPerClient} from one address (more are
 * closed at once) and messages of at most {@code maxMessageLength} bytes.
 */
public record CapfServerOptions(Duration handshakeTimeout, Duration requestTimeout, Duration sessionTimeout,
                                int maxConnections, int maxConnectionsPerClient, int maxMessageLength) {
    /** Per address as many as in all: a fleet's phones share one loopback address. */
    public static final CapfServerOptions DEFAULTS = new CapfServerOptions(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(2), 256, 256, CapfMessageDecoder.DEFAULT_MAX_MESSAGE_LENGTH);

    public CapfServerOptions {
        if (maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("connection caps must be at least 1");
        }
        for (Duration d : new Duration[] {handshakeTimeout, requestTimeout, sessionTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    public CapfServerOptions withRequestTimeout(Duration d) {
        return new CapfServerOptions(handshakeTimeout, d, sessionTimeout, maxConnections, maxConnectionsPerClient, maxMessageLength);
    }

    public CapfServerOptions withMaxConnections(int n) {
        // A per-address cap equal to the total (the default) follows it; a smaller one stays.
        int perClient = maxConnectionsPerClient == maxConnections ? n : Math.min(n, maxConnectionsPerClient);
        return new CapfServerOptions(handshakeTimeout, requestTimeout, sessionTimeout, n, perClient, maxMessageLength);
    }
}
