package org.phoneemu.core.sip;

import java.time.Instant;
import java.util.Optional;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.trustlist.InstalledTrust;

/**
 * Which transport the phone registers over (docs/SIP.md §1). TLS only when all three hold: the configuration's device
 * security mode is Authenticated or Encrypted, its {@code transportLayerProtocol} is TLS, and the list the phone judges
 * CallManager by ({@link SipServerTrust#judgingList}) holds a CallManager certificate ({@link SipServerTrust#hasCallManager}:
 * one past its end date counts, so an expired CallManager certificate leaves the phone unregistered, never on TCP).
 * Otherwise TCP. A secure mode
 * with no CTL and no ITL at all makes the phone fetch the lists again, {@value #TRUST_LIST_TRIES} times, before it
 * gives up on registering securely and uses TCP.
 */
public final class SipTransportPolicy {
    /** The configuration's {@code transportLayerProtocol} for TLS (cucm-sim writes 2 for TCP). */
    public static final int TRANSPORT_TLS = 3;
    /** Tries to obtain a CTL or ITL in a secure mode before giving up on secure registration. */
    public static final int TRUST_LIST_TRIES = 4;

    private SipTransportPolicy() {
    }

    /**
     * @param trustListTries how many times this boot already tried to obtain a CTL or ITL while the mode was secure
     *                       and the phone had none (0 on the first decision)
     */
    public static TransportDecision decide(PhoneConfig config, InstalledTrust trust, Instant now, int trustListTries) {
        return decide(DeviceSecurityMode.of(config.deviceSecurityMode()), config.transportLayerProtocol(), trust, now, trustListTries);
    }

    public static TransportDecision decide(DeviceSecurityMode mode, Optional<Integer> transportLayerProtocol, InstalledTrust trust,
                                           Instant now, int trustListTries) {
        if (!mode.secure()) {
            return new TransportDecision.Tcp("device security mode " + mode.displayName());
        }
        if (transportLayerProtocol.orElse(0) != TRANSPORT_TLS) {
            return new TransportDecision.Tcp("device security mode " + mode.displayName() + " but transport "
                    + transportLayerProtocol.map(String::valueOf).orElse("not set") + ", not TLS (" + TRANSPORT_TLS + ")");
        }
        if (SipServerTrust.judgingList(trust).isEmpty()) {
            int left = TRUST_LIST_TRIES - trustListTries;
            if (left > 0) {
                return new TransportDecision.FetchTrustListFirst(left);
            }
            return new TransportDecision.Tcp("no CTL or ITL after " + TRUST_LIST_TRIES + " tries: not registering securely");
        }
        if (!SipServerTrust.hasCallManager(trust, now)) {
            return new TransportDecision.Tcp("the " + SipServerTrust.judgingList(trust).orElseThrow().kind()
                    + " holds no valid CallManager certificate");
        }
        return new TransportDecision.Tls(mode, SipServerTrust.judgingList(trust).orElseThrow().kind());
    }
}
