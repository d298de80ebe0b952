package org.phoneemu.tvs.client;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** The result of a QUERY over a list of TVS servers. */
public sealed interface TvsQueryOutcome {
    /**
     * A server answered. {@code certificate} is present when {@code status} is 0 and the server sent one; any other
     * status ("invalid", also what servers without QUERY support answer) is final, like a VERIFY verdict.
     */
    record Answered(TvsServer server, int status, Optional<X509Certificate> certificate) implements TvsQueryOutcome {
        public boolean found() {
            return certificate.isPresent();
        }
    }

    /** No server answered; one failure per server tried. */
    record AllFailed(List<ServerFailure> failures) implements TvsQueryOutcome {
        public AllFailed {
            failures = List.copyOf(failures);
        }
    }
}
