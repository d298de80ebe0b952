package org.phoneemu.core.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code Digest} challenge of a 401's {@code WWW-Authenticate} or a 407's {@code Proxy-Authenticate} (RFC 3261
 * §22.1, RFC 7616 §3.3). CUCM's realm for phones is the service parameter "SIP Station Realm", {@code ccmsipline} by
 * default.
 *
 * @param qop the qop options offered ({@code auth}, {@code auth-int}); empty: the RFC 2069 form without qop
 * @param stale the server's word that the nonce, not the credentials, was refused (RFC 7616 §3.3)
 */
public record DigestChallenge(String realm, String nonce, Optional<String> opaque, DigestAlgorithm algorithm,
                              List<String> qop, boolean stale) {
    public DigestChallenge {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(opaque, "opaque");
        Objects.requireNonNull(algorithm, "algorithm");
        qop = List.copyOf(qop);
    }

    /**
     * The challenge in {@code value} if it is a Digest challenge this phone can answer: a realm and a nonce, a known
     * algorithm, and either no qop or {@code auth} among the options (auth-int alone is not answered: the phone's
     * REGISTER has no body to protect, and no source shows CUCM asking for it).
     */
    public static Optional<DigestChallenge> parse(String value) {
        Optional<Map<String, String>> p = DigestParams.parse(value);
        if (p.isEmpty() || !p.get().containsKey("realm") || !p.get().containsKey("nonce")) {
            return Optional.empty();
        }
        Map<String, String> m = p.get();
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.of(Optional.ofNullable(m.get("algorithm")));
        if (algorithm.isEmpty()) {
            return Optional.empty();
        }
        List<String> qop = new ArrayList<>();
        if (m.containsKey("qop")) {
            for (String q : m.get("qop").split(",")) {
                if (!q.isBlank()) {
                    qop.add(q.strip().toLowerCase(Locale.ROOT));
                }
            }
            if (!qop.contains("auth")) {
                return Optional.empty();
            }
        }
        return Optional.of(new DigestChallenge(m.get("realm"), m.get("nonce"), Optional.ofNullable(m.get("opaque")), algorithm.get(),
                qop, "true".equalsIgnoreCase(m.getOrDefault("stale", "false").strip())));
    }

    /** The header value a server sends: {@code Digest realm="…", nonce="…", algorithm=MD5[, qop="auth"][, stale=TRUE]}. */
    public String headerValue() {
        StringBuilder b = new StringBuilder("Digest realm=").append(DigestParams.quoted(realm))
                .append(", nonce=").append(DigestParams.quoted(nonce));
        opaque.ifPresent(o -> b.append(", opaque=").append(DigestParams.quoted(o)));
        b.append(", algorithm=").append(algorithm.token());
        if (!qop.isEmpty()) {
            b.append(", qop=").append(DigestParams.quoted(String.join(",", qop)));
        }
        if (stale) {
            b.append(", stale=TRUE");
        }
        return b.toString();
    }

    /** Whether the answer carries qop=auth (with nc and cnonce) rather than the RFC 2069 form. */
    public boolean offersAuth() {
        return qop.contains("auth");
    }
}
