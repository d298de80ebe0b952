package org.phoneemu.tvs.client;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.phoneemu.core.config.TvsServerEntry;

/** One TVS server: host (an IPv4 address or a name) and TCP port, 2445 unless the config says otherwise. */
public record TvsServer(String host, int port) {
    public static final int DEFAULT_PORT = 2445;

    public TvsServer {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("empty TVS host");
        }
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("TVS port out of range: " + port);
        }
    }

    public TvsServer(String host) {
        this(host, DEFAULT_PORT);
    }

    /** {@code host} or {@code host:port}. */
    public static TvsServer parse(String hostAndPort) {
        String s = hostAndPort.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return new TvsServer(s);
        }
        if (s.indexOf(':') != colon) {
            throw new IllegalArgumentException("IPv6 is not used by this phone: " + hostAndPort);
        }
        try {
            return new TvsServer(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad TVS port in " + hostAndPort);
        }
    }

    /** The config's TVS members, in priority order (lowest priority value first, as the phone tries them). */
    public static List<TvsServer> fromConfig(List<TvsServerEntry> entries) {
        return entries.stream().sorted(Comparator.comparingInt(TvsServerEntry::priority))
                .map(e -> new TvsServer(e.address(), e.port() > 0 ? e.port() : DEFAULT_PORT)).toList();
    }

    /** The server as the phone's console names it once resolved to {@code ip}: {@code IP:10.1.1.10, port:2445 (default)}. */
    public String describeAt(String ip) {
        return "IP:" + ip + ", port:" + port + (isDefaultPort() ? " (default)" : "");
    }

    public boolean isDefaultPort() {
        return port == DEFAULT_PORT;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
