package org.phoneemu.tvs.client;

import java.util.Objects;
import java.util.Optional;
import org.phoneemu.tvs.frame.TvsFrameException;

/** Why one TVS server gave no verdict. The client then tries the next server. */
public record ServerFailure(TvsServer server, Reason reason, String message, Optional<TvsFrameException.Reason> frameError) {
    /** What went wrong with the server. */
    public enum Reason {
        /** The name has no IPv4 address (the phone runs IPv4-only). */
        UNRESOLVED,
        CONNECT_REFUSED,
        CONNECT_TIMEOUT,
        CONNECT_FAILED,
        /** The TLS handshake failed or timed out. */
        TLS_FAILED,
        /** The server's TLS certificate is not a TVS record of the CTL/ITL: nothing was sent to it. */
        UNTRUSTED_TVS_CERTIFICATE,
        /** No response within the read timeout. */
        READ_TIMEOUT,
        /** The server hung up before answering. */
        CONNECTION_CLOSED,
        /** The response breaks the wire format; {@link #frameError} says how. */
        MALFORMED_RESPONSE,
        /** A well-formed response to some other session. */
        WRONG_SESSION_ID,
        /** A well-formed frame that is not the response to the request sent. */
        WRONG_COMMAND,
        /** A response without the STATUS element. */
        MISSING_STATUS,
        /** A response whose certificate cannot be parsed (QUERY). */
        BAD_CERTIFICATE,
        /** Anything else (a bug, a local error). */
        INTERNAL_ERROR
    }

    public ServerFailure {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(frameError, "frameError");
    }

    public ServerFailure(TvsServer server, Reason reason, String message) {
        this(server, reason, message, Optional.empty());
    }

    @Override
    public String toString() {
        return server + ": " + reason + " (" + message + ")";
    }
}
