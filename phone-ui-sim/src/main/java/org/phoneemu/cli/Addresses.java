package org.phoneemu.cli;

import java.net.InetSocketAddress;

/** Socket addresses as users type them ({@code 127.0.0.2:6969}); port 0 means the service is not running. */
final class Addresses {
    private Addresses() {
    }

    static String show(InetSocketAddress a) {
        if (a == null || a.getPort() == 0) {
            return "-";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return host + ":" + a.getPort();
    }

    /** A node's service as the banners show it: its address, or {@code -} when the node does not run it. */
    static String service(boolean running, InetSocketAddress a) {
        return running ? show(a) : "-";
    }
}
