package org.phoneemu.core.sip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.phoneemu.core.config.CallManagerEntry;

/**
 * The phone's registration rules that are not about trust (docs/SIP.md §3): the order it tries its CallManager group
 * in, which answers end the search and which move to the next CallManager, the interval it asks for and when it
 * re-registers.
 */
public final class RegistrationPolicy {
    /** {@code Expires} of a REGISTER to the primary CallManager. */
    public static final int REQUESTED_EXPIRES = 3600;
    /** CUCM's SIP profile "Timer Register Delta": the phone re-registers this long before the granted interval ends. */
    public static final Duration REGISTER_DELTA = Duration.ofSeconds(5);
    /**
     * After a renewal that no CallManager granted (all unreachable, or refused), the next try: chosen, no public
     * source gives the phone's interval; one minute keeps a phone whose group was down once from staying unregistered
     * until a reboot, without hammering a group that is down.
     */
    public static final Duration RETRY_AFTER_FAILED_RENEWAL = Duration.ofSeconds(60);

    private RegistrationPolicy() {
    }

    /** The group's CallManagers in priority order (the configuration's order among equal priorities), on the transport's port. */
    public static List<CallManagerTarget> targets(List<CallManagerEntry> group, SipTransport transport) {
        List<CallManagerEntry> sorted = new ArrayList<>(group);
        sorted.sort(Comparator.comparingInt(CallManagerEntry::priority)); // stable: equal priorities keep their order
        List<CallManagerTarget> out = new ArrayList<>(sorted.size());
        for (CallManagerEntry e : sorted) {
            int port = transport == SipTransport.TLS ? e.securedSipPort() : e.sipPort();
            if (!e.processNodeName().isEmpty() && port >= 1 && port <= 65535) {
                out.add(new CallManagerTarget(e.priority(), e.processNodeName(), port, transport));
            }
        }
        return out;
    }

    /**
     * The group, then the phone's TFTP server as its last resort: a Cisco TAC answer on phones that do not register
     * ("if the phone cannot resolve the names of the CUCM servers ... the phone will try and register to the TFTP server
     * after failing to resolve/reach the CUCM servers"). On the first member's port; not added when a member is
     * already named by that address, or without targets (no port to use).
     */
    public static List<CallManagerTarget> withTftpFallback(List<CallManagerTarget> targets, String tftpServerAddress) {
        if (targets.isEmpty() || tftpServerAddress.isEmpty()
                || targets.stream().anyMatch(t -> t.node().equalsIgnoreCase(tftpServerAddress))) {
            return targets;
        }
        List<CallManagerTarget> out = new ArrayList<>(targets);
        CallManagerTarget first = targets.get(0);
        out.add(new CallManagerTarget(targets.get(targets.size() - 1).priority() + 1, tftpServerAddress, first.port(), first.transport()));
        return List.copyOf(out);
    }

    /** What a final response to REGISTER means for the search over the group. */
    public enum Verdict {
        /** 2xx: registered; stop. */
        REGISTERED,
        /** 4xx, 6xx: CallManager refused this device; another node of the same cluster would say the same: stop. */
        REFUSED,
        /** 5xx: this CallManager cannot serve now (503 when it is out of service): try the next. */
        NEXT
    }

    /** The verdict of a final status (200-699); a provisional 1xx is not final and never reaches here. */
    public static Verdict verdict(int status) {
        if (status < 200 || status > 699) {
            throw new IllegalArgumentException("not a final SIP status: " + status);
        }
        if (status < 300) {
            return Verdict.REGISTERED;
        }
        return status >= 500 && status < 600 ? Verdict.NEXT : Verdict.REFUSED;
    }

    /**
     * When to send the next REGISTER after CallManager granted {@code granted}: {@link #REGISTER_DELTA} before it ends,
     * or half-way for intervals too short for the delta.
     */
    public static Duration reRegisterAfter(Duration granted) {
        if (granted.isNegative() || granted.isZero()) {
            throw new IllegalArgumentException("a granted interval must be positive: " + granted);
        }
        Duration early = granted.minus(REGISTER_DELTA);
        return early.compareTo(granted.dividedBy(2)) >= 0 ? early : granted.dividedBy(2);
    }

    /**
     * The group to try when the connection to {@code lost}, which registered the phone, ended (docs/SIP.md §3): the
     * others in their order first (so the backup kept warm comes first), {@code lost} last (a CallManager that only
     * dropped the connection takes the phone back when no other does).
     */
    public static List<CallManagerTarget> lostLast(List<CallManagerTarget> targets, CallManagerTarget lost) {
        if (!targets.contains(lost)) {
            return List.copyOf(targets);
        }
        List<CallManagerTarget> out = new ArrayList<>(targets);
        out.remove(lost);
        out.add(lost);
        return List.copyOf(out);
    }

    /**
     * How long the phone waits before registering again after losing the connection to the CallManager that registered
     * it, {@code earlierTries} failovers into the same loss (docs/SIP.md §3): at once the first time; then 1 s, 2 s,
     * 4 s ... doubling up to {@link #RETRY_AFTER_FAILED_RENEWAL}, so a group that is all down, or a CallManager that takes
     * the phone and drops it again, is not hammered. Chosen: no public source gives the phone's intervals. A
     * registration that holds until its renewal starts the count again.
     */
    public static Duration afterLostConnection(int earlierTries) {
        if (earlierTries < 0) {
            throw new IllegalArgumentException("negative tries: " + earlierTries);
        }
        if (earlierTries == 0) {
            return Duration.ZERO;
        }
        long seconds = 1L << Math.min(earlierTries - 1, 30);
        Duration d = Duration.ofSeconds(seconds);
        return d.compareTo(RETRY_AFTER_FAILED_RENEWAL) < 0 ? d : RETRY_AFTER_FAILED_RENEWAL;
    }
}
