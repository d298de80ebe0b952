package org.phoneemu.tvs.client;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.phoneemu.core.tvs.TvsAnswer;

/** The result of a VERIFY over a list of TVS servers. */
public sealed interface TvsOutcome {
    /** A server answered: {@code valid} is status 0. The first server that answers decides; an "invalid" is final. */
    record Verdict(TvsServer server, boolean valid, int status, List<Integer> roles, OptionalLong ttlSeconds) implements TvsOutcome {
        public Verdict {
            roles = List.copyOf(roles);
        }
    }

    /** No server gave a verdict; one failure per server tried, in order. */
    record AllFailed(List<ServerFailure> failures) implements TvsOutcome {
        public AllFailed {
            failures = List.copyOf(failures);
        }

        public String summary() {
            if (failures.isEmpty()) {
                return "no TVS server configured";
            }
            return failures.stream().map(ServerFailure::toString).collect(Collectors.joining("; "));
        }
    }

    /** The same outcome in phone-core's terms, for {@code HttpsCertificateCheck.resume}. */
    default TvsAnswer toAnswer() {
        if (this instanceof Verdict v) {
            return v.valid() ? new TvsAnswer.Valid(v.server().toString(), v.roles(), v.ttlSeconds())
                    : new TvsAnswer.Invalid(v.server().toString(), v.status());
        }
        return new TvsAnswer.Unreachable(((AllFailed) this).summary());
    }
}
