package org.phoneemu.net;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slots of a server (TFTP transfers, TLS connections), capped in all and per client address, so that one address
 * cannot take what the others need. Thread-safe; a slot is taken when the request arrives, before any socket or
 * handler is set up, so a burst cannot overshoot the caps.
 */
public final class ClientSlots {
    private final int max;
    private final int maxPerClient;
    private final AtomicInteger inUse = new AtomicInteger();
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    public ClientSlots(int max, int maxPerClient) {
        if (max < 1 || maxPerClient < 1) {
            throw new IllegalArgumentException("caps must be positive");
        }
        this.max = max;
        this.maxPerClient = maxPerClient;
    }

    /** Takes a slot for {@code client}; false (and nothing taken) when either cap is reached. */
    public boolean tryTake(InetAddress client) {
        if (inUse.incrementAndGet() > max) {
            inUse.decrementAndGet();
            return false;
        }
        boolean[] taken = {false};
        perClient.compute(client, (a, n) -> {
            int held = n == null ? 0 : n;
            taken[0] = held < maxPerClient;
            return taken[0] ? Integer.valueOf(held + 1) : n;
        });
        if (!taken[0]) {
            inUse.decrementAndGet();
        }
        return taken[0];
    }

    /** Gives back a slot taken by {@link #tryTake}. */
    public void release(InetAddress client) {
        inUse.decrementAndGet();
        perClient.computeIfPresent(client, (a, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * Admits a connection just accepted: takes its slot, given back when it closes; or, over a cap, says so in
     * {@code refused} (rate-limited) and closes it at once. Call first in the channel's initializer.
     *
     * @return whether the connection may go on
     */
    public boolean admit(Channel ch, RateLimitedLog refused, String service) {
        InetAddress client = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        if (!tryTake(client)) {
            refused.warn(client.getHostAddress(), service + " " + client.getHostAddress() + ": connection refused, " + inUse()
                    + " open (caps " + max + " in all, " + maxPerClient + " per address)");
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> release(client));
        return true;
    }

    /** Slots taken now. */
    public int inUse() {
        return inUse.get();
    }
}
