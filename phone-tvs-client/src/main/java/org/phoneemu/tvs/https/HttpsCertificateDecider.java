package org.phoneemu.tvs.https;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;

/**
 * The phone's judgement on an HTTPS server's certificate, asked right after the TLS handshake and before any
 * request byte is written: CTL, ITL, TVS cache, then TVS (docs/TRUST-RULES.md §7). {@code true} lets the request go;
 * {@code false} refuses it (the UI shows "Host Not Found"). It is called on an event loop, so it must not block
 * (return a future instead, e.g. the TVS client's); it may complete on any thread.
 */
@FunctionalInterface
public interface HttpsCertificateDecider {
    CompletableFuture<Boolean> allow(X509Certificate serverCert, InetSocketAddress server);
}
