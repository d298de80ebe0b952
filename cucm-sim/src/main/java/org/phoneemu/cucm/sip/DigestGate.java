package org.phoneemu.cucm.sip;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.sip.DigestAlgorithm;
import org.phoneemu.core.sip.DigestAuthorization;
import org.phoneemu.core.sip.DigestChallenge;
import org.phoneemu.core.sip.DigestCredentials;
import org.phoneemu.sip.codec.SipMessage;

/**
 * CUCM's digest check of a REGISTER from a device whose security profile enables digest authentication (docs/SIP.md
 * §12): no valid Authorization gets a 401 with a fresh nonce in realm {@link #REALM}; a nonce is good for the profile's
 * "Nonce Validity Time" (600 s by default) on the cluster's clock, and for one REGISTER: the one it authorizes uses it up. The nonces issued are bounded ({@link #MAX_NONCES},
 * the oldest forgotten first), so a client that only collects challenges cannot grow it. Shared by a node's TCP and TLS
 * connections (event loops): synchronized.
 */
final class DigestGate {
    /** The service parameter "SIP Station Realm": {@code ccmsipline} by default (CUCM security guide). */
    static final String REALM = "ccmsipline";
    /** The phone security profile's "Nonce Validity Time" default: 600 s (CUCM security guide). */
    static final Duration NONCE_VALIDITY = Duration.ofSeconds(600);
    /** Nonces a node remembers at most (chosen: far above a lab's phones, each needing one for under a second). */
    static final int MAX_NONCES = 4096;

    private final SecureRandom random = new SecureRandom();
    private final Duration validity;
    private final int capacity;
    /** Nonce → when it was issued, oldest first. */
    private final Map<String, Instant> issued = new LinkedHashMap<>();

    DigestGate() {
        this(NONCE_VALIDITY, MAX_NONCES);
    }

    DigestGate(Duration validity, int capacity) {
        this.validity = validity;
        this.capacity = capacity;
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

    synchronized Verdict check(SipMessage.Request request, DigestCredentials device, Instant now) {
        forgetExpired(now);
        Optional<DigestAuthorization> auth = request.headers().all("Authorization").stream().map(DigestAuthorization::parse)
                .flatMap(Optional::stream).filter(a -> a.realm().equals(REALM)).findFirst();
        if (auth.isEmpty()) {
            return challenge(now, false, "no digest credentials in realm " + REALM);
        }
        DigestAuthorization a = auth.get();
        if (!a.username().equals(device.user())) {
            // Guessed: CUCM answers an unknown digest user like a wrong password (no public trace shows it).
            return challenge(now, false, "digest user " + a.username() + " is not this device's (" + device.user() + ")");
        }
        if (!a.uri().equals(request.uri()) || !a.matches(device.password(), request.method())) {
            return challenge(now, false, "wrong digest response for user " + a.username());
        }
        // One use per nonce: the response covers method and URI but not Contact, so an Authorization seen on the wire and
        // sent again with another Contact would otherwise take the binding over while the nonce is valid.
        if (issued.remove(a.nonce()) == null) {
            // The credentials are right, the nonce is not (expired, used, forgotten, another node's): RFC 7616 §3.3's stale.
            return challenge(now, true, "nonce expired or unknown (stale)");
        }
        return new Verdict.Pass(a.username());
    }

    private Verdict challenge(Instant now, boolean stale, String why) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        issued.put(nonce, now);
        while (issued.size() > capacity) {
            Iterator<String> oldest = issued.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        // No qop: the Authorization in Cisco's administration guide (third-party SIP phones) carries none.
        return new Verdict.Challenge(new DigestChallenge(REALM, nonce, Optional.empty(), DigestAlgorithm.MD5, List.of(), stale), why);
    }

    private void forgetExpired(Instant now) {
        Iterator<Map.Entry<String, Instant>> it = issued.entrySet().iterator();
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
        return issued.size();
    }
}
