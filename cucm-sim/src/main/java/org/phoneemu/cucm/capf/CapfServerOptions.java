package org.phoneemu.cucm.capf;

import java.time.Duration;
import org.phoneemu.capf.wire.CapfMessageDecoder;

/**
 * Bounds of the CAPF server: a TLS handshake must end within {@code handshakeTimeout}, each phone message must come
 * within {@code requestTimeout} of the server's previous one, a whole session within {@code sessionTimeout};
 * at most {@code maxConnections} sessions at a time (more are closed at once) and messages of at most
 * {@code maxMessageLength} bytes.
 */
public record CapfServerOptions(Duration handshakeTimeout, Duration requestTimeout, Duration sessionTimeout,
                                int maxConnections, int maxMessageLength) {
    public static final CapfServerOptions DEFAULTS = new CapfServerOptions(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(2), 256, CapfMessageDecoder.DEFAULT_MAX_MESSAGE_LENGTH);

    public CapfServerOptions {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        for (Duration d : new Duration[] {handshakeTimeout, requestTimeout, sessionTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    public CapfServerOptions withRequestTimeout(Duration d) {
        return new CapfServerOptions(handshakeTimeout, d, sessionTimeout, maxConnections, maxMessageLength);
    }

    public CapfServerOptions withMaxConnections(int n) {
        return new CapfServerOptions(handshakeTimeout, requestTimeout, sessionTimeout, n, maxMessageLength);
    }
}
