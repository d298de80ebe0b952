package org.phoneemu.core.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The digest algorithms of RFC 7616 §3.2 that RFC 8760 brings to SIP: MD5 (RFC 2617, what CUCM sends, e.g.
 * {@code algorithm=MD5} in its administration guide's third-party phone example), SHA-256 and SHA-512-256, each with its
 * {@code -sess} variant.
 */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", false),
    MD5_SESS("MD5-sess", "MD5", true),
    SHA_256("SHA-256", "SHA-256", false),
    SHA_256_SESS("SHA-256-sess", "SHA-256", true),
    SHA_512_256("SHA-512-256", "SHA-512/256", false),
    SHA_512_256_SESS("SHA-512-256-sess", "SHA-512/256", true);

    private final String token;
    private final String jca;
    private final boolean session;

    DigestAlgorithm(String token, String jca, boolean session) {
        this.token = token;
        this.jca = jca;
        this.session = session;
    }

    /** The {@code algorithm=} token. */
    public String token() {
        return token;
    }

    /** How strong the hash is, for choosing among challenges (RFC 8760 §2.4: SHA-512-256, then SHA-256, then MD5). */
    public int strength() {
        return switch (jca) {
            case "SHA-512/256" -> 2;
            case "SHA-256" -> 1;
            default -> 0;
        };
    }

    /** Whether A1 takes the nonce and cnonce ({@code -sess}, RFC 7616 §3.4.2). */
    public boolean session() {
        return session;
    }

    /** The algorithm an {@code algorithm=} value names (case-insensitive; absent means MD5, RFC 7616 §3.3). */
    public static Optional<DigestAlgorithm> of(Optional<String> token) {
        if (token.isEmpty()) {
            return Optional.of(MD5);
        }
        for (DigestAlgorithm a : values()) {
            if (a.token.toLowerCase(Locale.ROOT).equals(token.get().strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The lower-case hex hash of {@code text} in UTF-8 (RFC 7616's H and KD are this over joined strings). */
    public String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jca + " is not available in this JVM", e);
        }
    }
}
