package org.phoneemu.tls.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The phone runs in IPv4-only mode: every server name becomes one IPv4 address. */
public final class Ipv4 {
    private Ipv4() {
    }

    /** An IPv4 literal resolves at once; a name is looked up off the caller's thread (never on an event loop). */
    public static CompletableFuture<Inet4Address> resolve(String host) {
        Inet4Address literal = literal(host);
        if (literal != null) {
            return CompletableFuture.completedFuture(literal);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    if (a instanceof Inet4Address v4) {
                        return v4;
                    }
                }
                throw new CompletionException(new UnknownHostException("no IPv4 address for " + host));
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * Why {@link #resolve} failed, in the phone's words ("no IPv4 address for {@code host}" for a name that does not
     * resolve): the one mapping of a resolve failure for every client.
     */
    public static String whyUnresolved(Throwable error, String host) {
        Throwable c = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return c instanceof UnknownHostException ? "no IPv4 address for " + host : String.valueOf(c.getMessage());
    }

    /** Dotted-quad only; anything else is a name (or IPv6, which this phone does not use). */
    public static Inet4Address literal(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(host, b);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
