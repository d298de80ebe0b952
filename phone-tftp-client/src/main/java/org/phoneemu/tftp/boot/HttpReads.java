package org.phoneemu.tftp.boot;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Reads of the provisioning server over HTTP and HTTPS; the futures never complete exceptionally. */
public interface HttpReads {
    /** GET {@code http://server/name} (port 6970), at most {@code maxSize} bytes, all within {@code deadline}. */
    CompletableFuture<HttpRead> http(InetSocketAddress server, String name, long maxSize, Duration deadline);

    /**
     * GET {@code https://server/name} (port 6971); {@code judge} decides the server's certificate before anything
     * is sent (a refusal is {@link HttpRead.Failed}). Networks without an HTTPS client fail it.
     */
    default CompletableFuture<HttpRead> https(InetSocketAddress server, String name, long maxSize,
                                              Function<X509Certificate, CompletableFuture<Boolean>> judge) {
        return CompletableFuture.completedFuture(new HttpRead.Failed("no HTTPS client"));
    }
}
