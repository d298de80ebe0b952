package org.phoneemu.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

/**
 * The rule for interop tests that need an external peer (tftpd-hpa, openssl, curl): when CI=true a missing peer fails the
 * run, because a skipped interop test in CI is a silent hole; on a developer machine it skips with a message.
 */
public final class RequiredPeer {
    private RequiredPeer() {
    }

    /** The program at {@code path}, or the first of {@code names} on the PATH, if it is there and executable. */
    public static java.util.Optional<java.nio.file.Path> program(String... namesOrPaths) {
        for (String n : namesOrPaths) {
            if (n.contains("/")) {
                java.nio.file.Path p = java.nio.file.Path.of(n);
                if (java.nio.file.Files.isExecutable(p)) {
                    return java.util.Optional.of(p);
                }
                continue;
            }
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                java.nio.file.Path p = java.nio.file.Path.of(dir, n);
                if (java.nio.file.Files.isExecutable(p)) {
                    return java.util.Optional.of(p);
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The program, or fail (CI=true) / skip (elsewhere) when it is missing. */
    public static java.nio.file.Path requireProgram(String what, String... namesOrPaths) {
        java.util.Optional<java.nio.file.Path> p = program(namesOrPaths);
        require(p.isPresent(), what);
        return p.orElseThrow();
    }

    public static void require(boolean present, String what) {
        require(present, what, System.getenv());
    }

    public static void require(boolean present, String what, Map<String, String> env) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(env.getOrDefault("CI", "").trim())) {
            fail(what + " is required when CI=true but was not found (install it: .ci/run does)");
        }
        assumeTrue(false, what + " not found: skipping this interop test (with CI=true this would fail)");
    }
}
