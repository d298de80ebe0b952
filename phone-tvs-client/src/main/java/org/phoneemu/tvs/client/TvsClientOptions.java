package org.phoneemu.tvs.client;

import java.time.Duration;
import java.util.Objects;
import org.phoneemu.tvs.frame.TvsFrameDecoder;

/**
 * Timeouts and limits of one TVS exchange, each applied per server: {@code connectTimeout} for TCP,
 * {@code handshakeTimeout} for TLS, {@code readTimeout} from the request written to the response decoded, and
 * the largest response frame accepted.
 */
public record TvsClientOptions(Duration connectTimeout, Duration handshakeTimeout, Duration readTimeout, int maxFrameLength) {
    public static final TvsClientOptions DEFAULTS =
            new TvsClientOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), TvsFrameDecoder.DEFAULT_MAX_FRAME_LENGTH);

    public TvsClientOptions {
        positive(connectTimeout, "connectTimeout");
        positive(handshakeTimeout, "handshakeTimeout");
        positive(readTimeout, "readTimeout");
        if (maxFrameLength < 10) {
            throw new IllegalArgumentException("maxFrameLength too small: " + maxFrameLength);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public TvsClientOptions withConnectTimeout(Duration d) {
        return new TvsClientOptions(d, handshakeTimeout, readTimeout, maxFrameLength);
    }

    public TvsClientOptions withHandshakeTimeout(Duration d) {
        return new TvsClientOptions(connectTimeout, d, readTimeout, maxFrameLength);
    }

    public TvsClientOptions withReadTimeout(Duration d) {
        return new TvsClientOptions(connectTimeout, handshakeTimeout, d, maxFrameLength);
    }

    public TvsClientOptions withMaxFrameLength(int max) {
        return new TvsClientOptions(connectTimeout, handshakeTimeout, readTimeout, max);
    }
}
