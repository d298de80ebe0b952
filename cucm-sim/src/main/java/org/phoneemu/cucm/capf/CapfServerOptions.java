package org.phoneemu.cucm.capf;

import java.time.Duration;
import org.phoneemu.capf.wire.CapfMessageDecoder;

/**
 * Bounds of the CAPF server: a TLS handshake must end within {@code handshakeTimeout}, each phone message must come
 * within {@code requestTimeout} of the server's previous one, a whole session within {@code sessionTimeout};
 * at most {@code maxConnections} sessions at a time, {@code maxConnectionsPerClient} from one address (more are
 * closed at once) and messages of at most {@code maxMessageLength} bytes. Authentication strings: after
 * {@code maxAuthFailures} wrong ones for a device, its sessions are refused (RETRY_LATER) for {@code authLockout};
 * every answer to an authentication string, right or wrong, comes {@code authFailureDelay} late.
 */
public record CapfServerOptions(Duration handshakeTimeout, Duration requestTimeout, Duration sessionTimeout,
                                int maxConnections, int maxConnectionsPerClient, int maxMessageLength,
                                int maxAuthFailures, Duration authLockout, Duration authFailureDelay) {
    /**
     * One address holds at most 32 of the 256 sessions, so that one host cannot refuse every other phone; a fleet of
     * emulated phones behind one address enrols 32 at a time (the others are closed at accept and retry).
     */
    public static final CapfServerOptions DEFAULTS = new CapfServerOptions(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(2), 256, 32, CapfMessageDecoder.DEFAULT_MAX_MESSAGE_LENGTH, 5, Duration.ofMinutes(30),
            Duration.ofSeconds(2));

    public CapfServerOptions {
        if (maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("connection caps must be at least 1");
        }
        if (maxAuthFailures < 1) {
            throw new IllegalArgumentException("maxAuthFailures must be at least 1");
        }
        for (Duration d : new Duration[] {handshakeTimeout, requestTimeout, sessionTimeout, authLockout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        if (authFailureDelay.isNegative()) {
            throw new IllegalArgumentException("authFailureDelay must not be negative");
        }
    }

    /** With the default authentication-string limits. */
    public CapfServerOptions(Duration handshakeTimeout, Duration requestTimeout, Duration sessionTimeout, int maxConnections,
                             int maxConnectionsPerClient, int maxMessageLength) {
        this(handshakeTimeout, requestTimeout, sessionTimeout, maxConnections, maxConnectionsPerClient, maxMessageLength,
                DEFAULTS.maxAuthFailures, DEFAULTS.authLockout, DEFAULTS.authFailureDelay);
    }

    public CapfServerOptions withRequestTimeout(Duration d) {
        return new CapfServerOptions(handshakeTimeout, d, sessionTimeout, maxConnections, maxConnectionsPerClient, maxMessageLength,
                maxAuthFailures, authLockout, authFailureDelay);
    }

    public CapfServerOptions withMaxConnections(int n) {
        return new CapfServerOptions(handshakeTimeout, requestTimeout, sessionTimeout, n, Math.min(n, maxConnectionsPerClient),
                maxMessageLength, maxAuthFailures, authLockout, authFailureDelay);
    }

    public CapfServerOptions withAuthLimits(int maxFailures, Duration lockout, Duration failureDelay) {
        return new CapfServerOptions(handshakeTimeout, requestTimeout, sessionTimeout, maxConnections, maxConnectionsPerClient,
                maxMessageLength, maxFailures, lockout, failureDelay);
    }
}
