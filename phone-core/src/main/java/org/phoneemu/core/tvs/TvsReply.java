package org.phoneemu.core.tvs;

import java.util.List;
import java.util.Objects;

/**
 * The result of one TVS question: the {@link TvsAnswer} the phone acts on, and each server asked, in the order asked
 * (empty when none was configured).
 */
public record TvsReply(TvsAnswer answer, List<TvsServerAnswer> asked) {
    public TvsReply {
        Objects.requireNonNull(answer, "answer");
        asked = List.copyOf(asked);
    }

    /** An answer for which no server was asked (none configured, or the question could not be sent). */
    public static TvsReply unasked(TvsAnswer answer) {
        return new TvsReply(answer, List.of());
    }
}
