package org.phoneemu.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The {@code --web-token} check. Both sides are hashed to SHA-256 first, so {@link MessageDigest#isEqual} compares
 * equal lengths and the time taken tells nothing about the token, not even its length.
 */
final class TokenCheck {
    /** The cookie a browser gets after one request with {@code ?token=}, so links and live updates need no token. */
    static final String COOKIE = "phoneemu_token";

    private final Optional<byte[]> expected;

    TokenCheck(Optional<String> token) {
        this.expected = token.map(TokenCheck::sha256);
    }

    boolean required() {
        return expected.isPresent();
    }

    boolean matches(String presented) {
        if (expected.isEmpty()) {
            return true;
        }
        return presented != null && MessageDigest.isEqual(expected.get(), sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
