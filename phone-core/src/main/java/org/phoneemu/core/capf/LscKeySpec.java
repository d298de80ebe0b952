package org.phoneemu.core.capf;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Set;

/**
 * The key CAPF asks the phone to generate: RSA of 1024, 2048, 3072 or 4096 bits, or EC on P-256, P-384 or P-521
 * (CUCM's "Key Order" and "Key Size" settings). Anything else is refused before a key is made.
 */
public record LscKeySpec(Algorithm algorithm, int size) {
    public enum Algorithm { RSA, EC }

    public static final Set<Integer> RSA_SIZES = Set.of(1024, 2048, 3072, 4096);
    public static final Set<Integer> EC_SIZES = Set.of(256, 384, 521);

    public LscKeySpec {
        if (!(algorithm == Algorithm.RSA ? RSA_SIZES : EC_SIZES).contains(size)) {
            throw new IllegalArgumentException(unsupported(algorithm, size));
        }
    }

    public static LscKeySpec rsa(int bits) {
        return new LscKeySpec(Algorithm.RSA, bits);
    }

    public static LscKeySpec ec(int curveBits) {
        return new LscKeySpec(Algorithm.EC, curveBits);
    }

    /** Whether a request for this algorithm and size can be honoured. */
    public static boolean supported(Algorithm algorithm, int size) {
        return (algorithm == Algorithm.RSA ? RSA_SIZES : EC_SIZES).contains(size);
    }

    public static String unsupported(Algorithm algorithm, int size) {
        return algorithm == Algorithm.RSA
                ? "RSA " + size + " bits is not supported (1024, 2048, 3072 or 4096)"
                : "EC curve of " + size + " bits is not supported (P-256, P-384 or P-521)";
    }

    /** {@code RSA 2048} or {@code EC P-256}. */
    public String describe() {
        return algorithm == Algorithm.RSA ? "RSA " + size : "EC P-" + size;
    }

    /** Generates the key pair (RSA keys of 4096 bits take a second or more: never on an event loop). */
    public KeyPair generate(SecureRandom random) {
        try {
            if (algorithm == Algorithm.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(size, random);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp" + size + "r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + describe() + " key: " + e.getMessage(), e);
        }
    }
}
