package org.phoneemu.tvs.https;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one HTTPS GET: TCP connect, TLS handshake, the decider's answer (which may include TVS round trips
 * to several servers), the response after the request is written, and the largest body accepted.
 */
public record HttpsOptions(Duration connectTimeout, Duration handshakeTimeout, Duration decisionTimeout, Duration readTimeout,
        int maxBodyBytes) {
    public static final HttpsOptions DEFAULTS = new HttpsOptions(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(60), Duration.ofSeconds(10), 1024 * 1024);

    public HttpsOptions {
        for (Duration d : new Duration[] {connectTimeout, handshakeTimeout, decisionTimeout, readTimeout}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative");
        }
    }

    public HttpsOptions withReadTimeout(Duration d) {
        return new HttpsOptions(connectTimeout, handshakeTimeout, decisionTimeout, d, maxBodyBytes);
    }

    public HttpsOptions withDecisionTimeout(Duration d) {
        return new HttpsOptions(connectTimeout, handshakeTimeout, d, readTimeout, maxBodyBytes);
    }

    public HttpsOptions withMaxBodyBytes(int max) {
        return new HttpsOptions(connectTimeout, handshakeTimeout, decisionTimeout, readTimeout, max);
    }
}
