package org.phoneemu.net;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A client's bound on what it asks of one server at a time: a request (a connection and its exchange, a TFTP read, an
 * HTTP download) is started through {@link #run}, which may hold it back until the server has room. The phones' TVS,
 * CAPF and SIP clients start each connection through one (a fleet's {@code --max-in-flight-per-server}); without a
 * cap it is {@link #NONE}. Never blocks: a held-back request starts when an earlier one to the same server ends.
 */
public interface ServerLimiter {
    /** Starts every request at once. */
    ServerLimiter NONE = new ServerLimiter() {
        @Override
        public <T> CompletableFuture<T> run(InetSocketAddress server, Supplier<CompletableFuture<T>> request) {
            return request.get();
        }
    };

    /**
     * Starts {@code request} to {@code server} now or once the server has room; the returned future completes as the
     * request's does. The request holds its place until its future completes, so a request's future should complete
     * when its connection is done with.
     */
    <T> CompletableFuture<T> run(InetSocketAddress server, Supplier<CompletableFuture<T>> request);
}
