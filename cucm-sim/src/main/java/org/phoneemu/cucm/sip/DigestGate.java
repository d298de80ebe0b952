package org.phoneemu.cucm.sip;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.sip.DigestAlgorithm;
import org.phoneemu.core.sip.DigestAuthorization;
import org.phoneemu.core.sip.DigestChallenge;
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.sip.codec.SipMessage;

/**
 * CUCM's digest check of a REGISTER from a device whose security profile enables digest authentication (docs/SIP.md
 * §12): no valid Authorization gets a 401 with a fresh nonce in realm {@link #REALM}; a nonce is good for the profile's
 * "Nonce Validity Time" (600 s by default) on the cluster's clock, and for one REGISTER: the one it authorizes uses it up. Each device's nonces are its own and bounded
 * ({@link #NONCES_PER_DEVICE}, that device's oldest forgotten first), so challenges collected for one device (anyone
 * can send a REGISTER naming it) neither grow the store past devices × that cap nor flush another device's nonce. Shared
 * by a node's TCP and TLS connections (event loops): synchronized.
 */
final class DigestGate {
    /** The service parameter "SIP Station Realm": {@code ccmsipline} by default (CUCM security guide). */
    static final String REALM = "ccmsipline";
    /** The phone security profile's "Nonce Validity Time" default: 600 s (CUCM security guide). */
    static final Duration NONCE_VALIDITY = Duration.ofSeconds(600);
    /**
     * Nonces a node remembers per device at most (chosen: a phone needs one per registration, for under a second; a few
     * spare cover a phone whose answer crosses a renewal).
     */
    static final int NONCES_PER_DEVICE = 4;

    private final SecureRandom random = new SecureRandom();
    private final Duration validity;
    private final int perDevice;
    /** Device name → its nonces → when each was issued, oldest first. The devices are the cluster file's digest devices. */
    private final Map<String, LinkedHashMap<String, Instant>> issued = new HashMap<>();

    DigestGate() {
        this(NONCE_VALIDITY, NONCES_PER_DEVICE);
    }

    DigestGate(Duration validity, int perDevice) {
        this.validity = validity;
        this.perDevice = perDevice;
    }

    /** The check's outcome. */
    sealed interface Verdict {
        /** The Authorization answers a nonce this node issued, within its validity, with the device's credentials. */
        record Pass(String user) implements Verdict {
        }

        /** A 401 with {@code challenge}; {@code why} is for the node's trace. */
        record Challenge(DigestChallenge challenge, String why) implements Verdict {
        }
    }

    /**
     * @param deviceName the device the REGISTER names (its nonces are its own)
     * @param device its digest credentials
     */
    synchronized Verdict check(SipMessage.Request request, String deviceName, DigestCredentials device, Instant now) {
        LinkedHashMap<String, Instant> nonces = issued.computeIfAbsent(deviceName, d -> new LinkedHashMap<>());
        forgetExpired(nonces, now);
        Optional<DigestAuthorization> auth = request.headers().all("Authorization").stream().map(DigestAuthorization::parse)
                .flatMap(Optional::stream).filter(a -> a.realm().equals(REALM)).findFirst();
        if (auth.isEmpty()) {
            return challenge(nonces, now, false, "no digest credentials in realm " + REALM);
        }
        DigestAuthorization a = auth.get();
        if (!a.username().equals(device.user())) {
            // Guessed: CUCM answers an unknown digest user like a wrong password (no public trace shows it).
            return challenge(nonces, now, false, "digest user " + a.username() + " is not this device's (" + device.user() + ")");
        }
        if (!a.uri().equals(request.uri()) || !a.matches(device.password(), request.method())) {
            return challenge(nonces, now, false, "wrong digest response for user " + a.username());
        }
        // One use per nonce: the response covers method and URI but not Contact, so an Authorization seen on the wire and
        // sent again with another Contact would otherwise take the binding over while the nonce is valid.
        if (nonces.remove(a.nonce()) == null) {
            // The credentials are right, the nonce is not (expired, used, forgotten, another node's): RFC 7616 §3.3's stale.
            return challenge(nonces, now, true, "nonce expired or unknown (stale)");
        }
        return new Verdict.Pass(a.username());
    }

    private Verdict challenge(LinkedHashMap<String, Instant> nonces, Instant now, boolean stale, String why) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        nonces.put(nonce, now);
        while (nonces.size() > perDevice) {
            Iterator<String> oldest = nonces.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        // No qop: the Authorization in Cisco's administration guide (third-party SIP phones) carries none.
        return new Verdict.Challenge(new DigestChallenge(REALM, nonce, Optional.empty(), DigestAlgorithm.MD5, List.of(), stale), why);
    }

    private void forgetExpired(LinkedHashMap<String, Instant> nonces, Instant now) {
        Iterator<Map.Entry<String, Instant>> it = nonces.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Instant> e = it.next();
            if (e.getValue().plus(validity).isAfter(now)) {
                break; // oldest first: the rest are younger
            }
            it.remove();
        }
    }

    /** Nonces remembered now (tests). */
    synchronized int size() {
        return issued.values().stream().mapToInt(Map::size).sum();
    }
}
