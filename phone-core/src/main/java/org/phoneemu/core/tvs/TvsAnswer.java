package org.phoneemu.core.tvs;

import java.util.List;
import java.util.OptionalLong;

/**
 * What the phone got from its TVS servers about one certificate. The network module produces it; the trust
 * engine consumes it.
 */
public sealed interface TvsAnswer {
    /** Status 0 from {@code server}: the certificate is trusted for {@code roles}, cacheable for {@code ttl}. */
    record Valid(String server, List<Integer> roles, OptionalLong ttlSeconds) implements TvsAnswer {
        public Valid {
            roles = List.copyOf(roles);
        }
    }

    /** A non-zero status from {@code server}. */
    record Invalid(String server, int status) implements TvsAnswer {
    }

    /** No TVS server could be reached or trusted. */
    record Unreachable(String reason) implements TvsAnswer {
    }
}
