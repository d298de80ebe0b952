package org.phoneemu.net;

import io.netty.channel.Channel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slots of a server (TFTP transfers, TLS and HTTP connections), capped in all and per client (an IPv4 address, an
 * IPv6 /64), so that one client cannot take what the others need. Thread-safe; a slot is taken first thing (a TFTP request as it
 * arrives, a connection in its channel's initializer with {@link #admit}, before any handler is added), so a burst
 * cannot overshoot the caps.
 */
public final class ClientSlots {
    private final int max;
    private final int maxPerClient;
    private final AtomicInteger inUse = new AtomicInteger();
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    /**
     * Whose share a slot counts against: the address itself for IPv4, its /64 for IPv6 (one host is usually given a
     * whole /64 and may pick any address in it, so counting exact addresses would not cap it).
     */
    static InetAddress client(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes is always a valid length
        }
    }

    public ClientSlots(int max, int maxPerClient) {
        if (max < 1 || maxPerClient < 1) {
            throw new IllegalArgumentException("caps must be positive");
        }
        this.max = max;
        this.maxPerClient = maxPerClient;
    }

    /** Takes a slot for {@code address} (an IPv6 one counts against its /64); false (and nothing taken) when either cap is reached. */
    public boolean tryTake(InetAddress address) {
        InetAddress client = client(address);
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
    public void release(InetAddress address) {
        InetAddress client = client(address);
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
