package org.phoneemu.sip.client;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.CallManagerTarget;

/**
 * The connections the client's phones keep open to their CallManagers, by device name and CallManager (docs/SIP.md §3).
 * Bounded: past {@link #MAX_KEPT} open connections a registration's connection is closed after its answer, as before
 * (a registrar caps connections per client address: cucm-sim 256, so a lab of many phones on one address keeps
 * under it). Thread-safe.
 */
final class KeptConnections {
    /** Chosen: under the simulated registrar's 256 connections per client address. */
    static final int MAX_KEPT = 200;

    private final Map<String, Map<String, KeptConnection>> byDevice = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile int max;

    KeptConnections() {
        this(MAX_KEPT);
    }

    KeptConnections(int max) {
        this.max = max;
    }

    /** At most {@code n} open from now on (a fleet kept registered sizes it to its phones); those open stay. */
    void keepAtMost(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a bound of kept connections cannot be negative: " + n);
        }
        max = n;
    }

    private static String key(CallManagerTarget t) {
        return t.node().toLowerCase(java.util.Locale.ROOT) + ":" + t.port() + "/" + t.transport();
    }

    /** The open connection {@code device} keeps to {@code target}. */
    Optional<KeptConnection> get(String device, CallManagerTarget target) {
        Map<String, KeptConnection> m = byDevice.get(device);
        return Optional.ofNullable(m == null ? null : m.get(key(target))).filter(KeptConnection::isOpen);
    }

    /**
     * Keeps {@code channel}, on which {@code dialog}'s request was answered, as {@code device}'s connection to
     * {@code target} (a previous one to it is closed); false when the bound is reached (the caller closes it).
     * The channel's exchange handler (named {@code exchange}) is replaced by the kept connection's. {@code lost} hears of
     * its end when CallManager's side ended it while it was idle.
     */
    boolean adopt(String device, CallManagerTarget target, Channel channel, String contactUser, CiscoRegister.Dialog dialog, ConsoleLog log,
                  KeptConnection.Terms terms, java.util.function.Consumer<CallManagerTarget> lost) {
        Map<String, KeptConnection> held = byDevice.get(device);
        KeptConnection already = held == null ? null : held.get(key(target));
        if (already != null && already.channel() == channel) {
            return true; // answered on the connection kept already
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return false;
        }
        String k = key(target);
        Map<String, KeptConnection> m = byDevice.computeIfAbsent(device, d -> new ConcurrentHashMap<>());
        KeptConnection[] self = new KeptConnection[1];
        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable drop = () -> {
            if (counted.getAndSet(false)) {
                open.decrementAndGet();
            }
            m.remove(k, self[0]);
        };
        self[0] = new KeptConnection(channel, target, contactUser, DigestChallengeHandler.dialogOf(channel.pipeline(), dialog), log, terms, drop, lost);
        KeptConnection previous = m.put(k, self[0]);
        if (previous != null) {
            previous.close();
        }
        channel.eventLoop().execute(() -> {
            if (channel.pipeline().get("exchange") != null) {
                channel.pipeline().replace("exchange", "kept", self[0]);
            } else {
                channel.close();
                drop.run();
            }
        });
        return true;
    }

    /** Closes every connection {@code device} keeps (a reboot, or a registration that keeps none). */
    void release(String device) {
        Map<String, KeptConnection> m = byDevice.remove(device);
        if (m != null) {
            m.values().forEach(KeptConnection::close);
        }
    }

    /** Closes every kept connection, as the phones' own (the network stops): none of their ends is reported lost. */
    void releaseAll() {
        byDevice.keySet().forEach(this::release);
    }

    /**
     * Closes every kept connection that presented {@code certificate} (a phone's LSC that CAPF replaced or deleted): no
     * REGISTER rides on a session authenticated by a certificate the phone no longer holds.
     */
    void releasePresenting(java.security.cert.X509Certificate certificate) {
        byDevice.values().forEach(m -> m.values().stream().filter(c -> c.presents(certificate)).toList().forEach(KeptConnection::close));
    }

    /** How many connections are kept open now. */
    int open() {
        return open.get();
    }
}
