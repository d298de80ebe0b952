package org.phoneemu.tvs.client;

import java.util.Objects;
import java.util.Optional;
import org.phoneemu.tvs.frame.TvsFrameException;
import org.phoneemu.tls.client.ExchangeFailure;

/**
 * Why one TVS server gave no verdict ({@code frameError} says how a {@link ExchangeFailure#MALFORMED_RESPONSE}
 * broke the wire format). The client then tries the next server.
 */
public record ServerFailure(TvsServer server, ExchangeFailure reason, String message, Optional<TvsFrameException.Reason> frameError) {
    public ServerFailure {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(frameError, "frameError");
    }

    public ServerFailure(TvsServer server, ExchangeFailure reason, String message) {
        this(server, reason, message, Optional.empty());
    }

    @Override
    public String toString() {
        return server + ": " + reason + " (" + message + ")";
    }
}
