package org.phoneemu.capf.client;

import java.time.Duration;
import java.util.Objects;
import org.phoneemu.capf.wire.CapfMessageDecoder;

/**
 * Timeouts, limits and retries of the phone's CAPF client. {@code readTimeout} is how long the phone waits for
 * each server message. On a communication failure the phone tries {@code tries} times in all, {@code retryDelay}
 * apart: three tries 30 s apart, as Cisco documents for its phones ({@link #DEFAULTS}).
 */
public record CapfClientOptions(Duration connectTimeout, Duration handshakeTimeout, Duration readTimeout, int tries,
                                Duration retryDelay, int maxMessageLength, Duration maxRetryLater) {
    /** {@code maxRetryLater}: the longest RETRY_LATER delay the phone waits out (a longer one is a refusal); ours. */
    public static final CapfClientOptions DEFAULTS = new CapfClientOptions(Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), 3, Duration.ofSeconds(30), CapfMessageDecoder.DEFAULT_MAX_MESSAGE_LENGTH, Duration.ofMinutes(5));

    public CapfClientOptions {
        positive(connectTimeout, "connectTimeout");
        positive(handshakeTimeout, "handshakeTimeout");
        positive(readTimeout, "readTimeout");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(maxRetryLater, "maxRetryLater");
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("retryDelay must not be negative");
        }
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1");
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public CapfClientOptions withRetries(int tries, Duration retryDelay) {
        return new CapfClientOptions(connectTimeout, handshakeTimeout, readTimeout, tries, retryDelay, maxMessageLength, maxRetryLater);
    }

    public CapfClientOptions withMaxRetryLater(Duration d) {
        return new CapfClientOptions(connectTimeout, handshakeTimeout, readTimeout, tries, retryDelay, maxMessageLength, d);
    }

    public CapfClientOptions withReadTimeout(Duration d) {
        return new CapfClientOptions(connectTimeout, handshakeTimeout, d, tries, retryDelay, maxMessageLength, maxRetryLater);
    }
}
