package org.phoneemu.net;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client can make a plain HTTP server (the web pages, the metrics endpoint) hold (docs/LIMITS.md). The
 * deadlines do not restart on each byte, so a client dripping one byte at a time cannot keep a connection.
 *
 * @param headerTimeout           from a request's first byte to the end of its headers
 * @param requestTimeout          from a request's first byte to the end of its body
 * @param idleTimeout             with no request in progress: from the connection's accept, or from the end of the
 *                                previous response, to the next request's first byte; also the longest a response
 *                                may take to be made and written (a client that does not read it is cut)
 * @param maxRequestBytes         the largest body; a bigger one is answered 413
 * @param maxConnections          connections open at once; one beyond is closed as soon as it is accepted
 * @param maxConnectionsPerClient connections open at once from one client address
 */
public record HttpLimits(Duration headerTimeout, Duration requestTimeout, Duration idleTimeout, int maxRequestBytes,
                         int maxConnections, int maxConnectionsPerClient) {
    public HttpLimits {
        for (Duration d : new Duration[] {headerTimeout, requestTimeout, idleTimeout}) {
            Objects.requireNonNull(d);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        if (headerTimeout.compareTo(requestTimeout) > 0) {
            throw new IllegalArgumentException("the header deadline must not be later than the request deadline");
        }
        if (maxRequestBytes < 1 || maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("caps must be positive");
        }
    }

    /**
     * The web pages: 10 s to the end of the headers, 30 s to the end of the body, 60 s idle, 16 KiB of body, 256
     * connections, 64 per address (a browser opens about six; every local client is 127.0.0.1).
     */
    public static HttpLimits web() {
        return new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), 16 * 1024, 256, 64);
    }

    /** The metrics endpoint: a scrape is one small GET; 10 s for all of it, 30 s idle, 8 KiB, 64 connections, 16 per address. */
    public static HttpLimits metrics() {
        return new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30), 8 * 1024, 64, 16);
    }

    public HttpLimits withTimeouts(Duration header, Duration request, Duration idle) {
        return new HttpLimits(header, request, idle, maxRequestBytes, maxConnections, maxConnectionsPerClient);
    }

    public HttpLimits withConnections(int total, int perClient) {
        return new HttpLimits(headerTimeout, requestTimeout, idleTimeout, maxRequestBytes, total, perClient);
    }
}
