package org.phoneemu.fleet;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.phoneemu.tftp.boot.HttpRead;
import org.phoneemu.tftp.boot.HttpReads;
import org.phoneemu.net.ServerLimiter;
import org.phoneemu.tftp.client.TftpReads;

/**
 * A cap on the fleet's requests in flight to each server address ({@code --max-in-flight-per-server}), the fleet's
 * {@link ServerLimiter}: TFTP reads, HTTP(S) downloads, and each TVS, CAPF and SIP connection. A request
 * beyond the cap waits, queued, for a slot of its server instead of failing, and each such wait is counted. Nothing
 * blocks: a request that ends starts the next one waiting for its server. A read's own timeouts start when it is
 * sent, so a phone's wait for a slot is never mistaken for a server that does not answer.
 */
final class ServerSlots implements ServerLimiter {
    private final int perServer;
    private final Map<InetSocketAddress, Server> servers = new ConcurrentHashMap<>();
    private final LongAdder waited = new LongAdder();

    public ServerSlots(int perServer) {
        if (perServer < 1) {
            throw new IllegalArgumentException("at least 1 request in flight per server");
        }
        this.perServer = perServer;
    }

    public int perServer() {
        return perServer;
    }

    /** Requests that had to wait for a slot, since the start. */
    public long waited() {
        return waited.sum();
    }

    /** {@code reads} with every read through its server's slots. */
    public TftpReads tftp(TftpReads reads) {
        return (server, filename, options) -> run(server, () -> reads.read(server, filename, options));
    }

    /** {@code reads} with every HTTP (6970) and HTTPS (6971) download through its server's slots. */
    public HttpReads http(HttpReads reads) {
        return new HttpReads() {
            @Override
            public CompletableFuture<HttpRead> http(InetSocketAddress server, String name, long maxSize, java.time.Duration deadline) {
                return run(server, () -> reads.http(server, name, maxSize, deadline));
            }

            @Override
            public CompletableFuture<HttpRead> https(InetSocketAddress server, String name, long maxSize,
                    java.util.function.Function<java.security.cert.X509Certificate, CompletableFuture<Boolean>> judge) {
                return run(server, () -> reads.https(server, name, maxSize, judge));
            }
        };
    }

    /** Starts {@code request} when {@code server} has a free slot (now, or when a request to it ends). */
    @Override
    public <T> CompletableFuture<T> run(InetSocketAddress server, Supplier<CompletableFuture<T>> request) {
        Server s = servers.computeIfAbsent(server, a -> new Server());
        CompletableFuture<T> out = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> f;
            try {
                f = request.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((v, e) -> {
                s.release();
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(v);
                }
            });
        };
        if (s.acquireOrQueue(start)) {
            start.run();
        } else {
            waited.increment();
        }
        return out;
    }

    /** One server's slots: how many are taken, and the requests waiting in arrival order. */
    private final class Server {
        private int inFlight;
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

        synchronized boolean acquireOrQueue(Runnable start) {
            if (inFlight < perServer) {
                inFlight++;
                return true;
            }
            waiting.add(start);
            return false;
        }

        void release() {
            Runnable next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                }
            }
            if (next != null) {
                handOff(next); // the slot passes to it
            }
        }
    }

    /** Requests handed a slot on this thread while an outer hand-off runs; null outside one. */
    private static final ThreadLocal<ArrayDeque<Runnable>> HANDOFFS = new ThreadLocal<>();

    /**
     * Starts a waiting request; one that ends at once hands its slot on from the same loop, not from a deeper call,
     * so a long queue of requests that fail at once cannot overflow the stack.
     */
    private static void handOff(Runnable start) {
        ArrayDeque<Runnable> pending = HANDOFFS.get();
        if (pending != null) {
            pending.add(start);
            return;
        }
        pending = new ArrayDeque<>();
        HANDOFFS.set(pending);
        try {
            for (Runnable r = start; r != null; r = pending.poll()) {
                r.run();
            }
        } finally {
            HANDOFFS.remove();
        }
    }
}
