package org.phoneemu.tftp.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local address the kernel sends from to reach a server, which a transfer's channel binds instead of the
 * wildcard address: the packets leave from the same address either way, but a bound channel knows it, so its local
 * address (in logs, in a packet capture) is the real one rather than {@code 0.0.0.0}.
 *
 * <p>Found by connecting an unbound UDP socket to the server (a UDP connect only picks the route, it sends nothing),
 * once per server address: a run takes its routes as fixed (an address that can no longer be bound is looked up
 * again), so the thousands of transfers of a fleet pay a map lookup, not four system calls. When there is no route,
 * the answer is the wildcard address (the transfer then fails on its first send, as it would unbound). Thread-safe.
 */
final class RouteSources {
    private final Map<InetAddress, InetAddress> sources = new ConcurrentHashMap<>();

    /** The address to bind for a transfer with {@code server}. */
    InetAddress towards(InetAddress server) {
        InetAddress known = sources.get(server);
        if (known != null) {
            return known;
        }
        InetAddress found = lookUp(server);
        if (!found.isAnyLocalAddress()) {
            sources.put(server, found); // no route is not remembered: it may come up
        }
        return found;
    }

    /** Takes {@code source} as {@code server}'s without looking (a test gives one that cannot be bound). */
    void remember(InetAddress server, InetAddress source) {
        sources.put(server, source);
    }

    /** Forgets {@code server}'s source (it could not be bound: the address has gone), so the next transfer looks again. */
    void forget(InetAddress server) {
        sources.remove(server);
    }

    static InetAddress lookUp(InetAddress server) {
        boolean v6 = server instanceof Inet6Address;
        try (DatagramChannel probe = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
            probe.connect(new InetSocketAddress(server, 9)); // any port: only the route matters
            return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return wildcard(v6);
        }
    }

    static InetAddress wildcard(boolean v6) {
        try {
            return InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // only for an array of another length
        }
    }
}
