package org.phoneemu.core.sip;

import org.phoneemu.core.config.DigestCredentials;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code Authorization} (or {@code Proxy-Authorization}) Digest answer (RFC 3261 §22.2, RFC 7616 §3.4) and the one
 * computation of its {@code response} (RFC 2617 §3.2.2, RFC 7616 §3.4.1): used by the phone to answer and by the
 * simulated registrar to check. No I/O.
 *
 * @param qop   {@code auth}, or empty for the RFC 2069 form (then {@code nc} and {@code cnonce} are empty too)
 * @param nc    the nonce count, 8 hex digits ({@code 00000001})
 */
public record DigestAuthorization(String username, String realm, String nonce, String uri, String response,
                                  DigestAlgorithm algorithm, Optional<String> cnonce, Optional<String> opaque,
                                  Optional<String> qop, Optional<String> nc) {
    public DigestAuthorization {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(cnonce, "cnonce");
        Objects.requireNonNull(opaque, "opaque");
        Objects.requireNonNull(qop, "qop");
        Objects.requireNonNull(nc, "nc");
    }

    /**
     * The {@code response} value: {@code KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2))} with qop, else
     * {@code KD(H(A1), nonce ":" H(A2))}; A1 = {@code user ":" realm ":" password} (for {@code -sess}, its hash
     * {@code ":" nonce ":" cnonce}); A2 = {@code method ":" uri}.
     */
    public static String response(DigestAlgorithm algorithm, String user, String realm, String password, String method, String uri,
                                  String nonce, Optional<String> qop, Optional<String> nc, Optional<String> cnonce) {
        String ha1 = algorithm.hash(user + ":" + realm + ":" + password);
        if (algorithm.session()) {
            ha1 = algorithm.hash(ha1 + ":" + nonce + ":" + cnonce.orElse(""));
        }
        String ha2 = algorithm.hash(method + ":" + uri);
        if (qop.isPresent()) {
            return algorithm.hash(ha1 + ":" + nonce + ":" + nc.orElse("") + ":" + cnonce.orElse("") + ":" + qop.get() + ":" + ha2);
        }
        return algorithm.hash(ha1 + ":" + nonce + ":" + ha2);
    }

    /**
     * The phone's answer to {@code challenge} for a request {@code method} to {@code uri}: qop=auth with nonce count
     * {@code nonceCount} and the client nonce {@code cnonce} when the challenge offers it, the RFC 2069 form otherwise.
     */
    public static DigestAuthorization answer(DigestChallenge challenge, DigestCredentials credentials, String method, String uri,
                                             String cnonce, int nonceCount) {
        Optional<String> qop = challenge.offersAuth() ? Optional.of("auth") : Optional.empty();
        Optional<String> nc = qop.map(q -> String.format("%08x", nonceCount));
        Optional<String> cn = qop.isPresent() || challenge.algorithm().session() ? Optional.of(cnonce) : Optional.empty();
        String response = response(challenge.algorithm(), credentials.user(), challenge.realm(), credentials.password(), method, uri,
                challenge.nonce(), qop, nc, cn);
        return new DigestAuthorization(credentials.user(), challenge.realm(), challenge.nonce(), uri, response, challenge.algorithm(),
                cn, challenge.opaque(), qop, nc);
    }

    /** Whether this answer was computed with {@code password} for {@code method} (the server's check, in constant time). */
    public boolean matches(String password, String method) {
        String expected = response(algorithm, username, realm, password, method, uri, nonce, qop, nc, cnonce);
        return java.security.MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                response.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The header value, parameters in the order of RFC 3261 §22.4's example, then cnonce, qop and nc. */
    public String headerValue() {
        StringBuilder b = new StringBuilder("Digest username=").append(DigestParams.quoted(username))
                .append(",realm=").append(DigestParams.quoted(realm))
                .append(",nonce=").append(DigestParams.quoted(nonce))
                .append(",uri=").append(DigestParams.quoted(uri))
                .append(",response=").append(DigestParams.quoted(response))
                .append(",algorithm=").append(algorithm.token());
        cnonce.ifPresent(c -> b.append(",cnonce=").append(DigestParams.quoted(c)));
        opaque.ifPresent(o -> b.append(",opaque=").append(DigestParams.quoted(o)));
        qop.ifPresent(q -> b.append(",qop=").append(q));
        nc.ifPresent(n -> b.append(",nc=").append(n));
        return b.toString();
    }

    /** An Authorization header's Digest answer, if it is one with the fields a check needs. */
    public static Optional<DigestAuthorization> parse(String value) {
        Optional<Map<String, String>> p = DigestParams.parse(value);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> m = p.get();
        for (String required : new String[] {"username", "realm", "nonce", "uri", "response"}) {
            if (!m.containsKey(required)) {
                return Optional.empty();
            }
        }
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.of(Optional.ofNullable(m.get("algorithm")));
        Optional<String> qop = Optional.ofNullable(m.get("qop"));
        if (algorithm.isEmpty() || (qop.isPresent() && (!m.containsKey("nc") || !m.containsKey("cnonce")))) {
            return Optional.empty();
        }
        return Optional.of(new DigestAuthorization(m.get("username"), m.get("realm"), m.get("nonce"), m.get("uri"), m.get("response"),
                algorithm.get(), Optional.ofNullable(m.get("cnonce")), Optional.ofNullable(m.get("opaque")), qop,
                Optional.ofNullable(m.get("nc"))));
    }
}
