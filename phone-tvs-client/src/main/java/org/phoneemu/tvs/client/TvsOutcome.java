package org.phoneemu.tvs.client;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.core.tvs.TvsServerAnswer;
import org.phoneemu.tls.client.ExchangeFailure;

/** The result of a VERIFY over a list of TVS servers. */
public sealed interface TvsOutcome {
    /**
     * A server answered: {@code valid} is status 0. The first server that answers decides; an "invalid" is final.
     * {@code failedBefore}: the servers tried before it, in order.
     */
    record Verdict(TvsServer server, boolean valid, int status, List<Integer> roles, OptionalLong ttlSeconds,
                   List<ServerFailure> failedBefore) implements TvsOutcome {
        public Verdict {
            roles = List.copyOf(roles);
            failedBefore = List.copyOf(failedBefore);
        }

        public Verdict(TvsServer server, boolean valid, int status, List<Integer> roles, OptionalLong ttlSeconds) {
            this(server, valid, status, roles, ttlSeconds, List.of());
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

    /** The same outcome with every server asked, in order, as values ({@link TvsServerAnswer}). */
    default TvsReply toReply() {
        List<TvsServerAnswer> asked = new ArrayList<>();
        List<ServerFailure> failed = this instanceof Verdict v ? v.failedBefore() : ((AllFailed) this).failures();
        failed.forEach(f -> asked.add(answerOf(f)));
        if (this instanceof Verdict v) {
            asked.add(new TvsServerAnswer(v.server().host(), v.server().port(),
                    v.valid() ? TvsServerAnswer.Reply.VALID : TvsServerAnswer.Reply.INVALID, ""));
        }
        return new TvsReply(toAnswer(), asked);
    }

    private static TvsServerAnswer answerOf(ServerFailure f) {
        return new TvsServerAnswer(f.server().host(), f.server().port(), f.reason() == ExchangeFailure.UNTRUSTED_TVS_CERTIFICATE
                ? TvsServerAnswer.Reply.NOT_TRUSTED : TvsServerAnswer.Reply.NO_ANSWER, f.reason() + " (" + f.message() + ")");
    }
}
