package org.phoneemu.tls.client;

import java.time.Duration;

/**
 * Why a TCP connect of the phone did not complete, and its words for the console and the result: the one mapping for
 * TVS, HTTPS and CAPF.
 */
public record ConnectFailure(ExchangeFailure reason, String why) {
    /** Nothing listens at the address: also what the in-process exchanges (predict's offline network) say for a missing peer. */
    public static final ConnectFailure REFUSED = new ConnectFailure(ExchangeFailure.CONNECT_REFUSED, "connection refused");

    public static ConnectFailure of(Throwable cause, Duration connectTimeout) {
        ExchangeFailure reason = ExchangeFailure.ofConnect(cause);
        return switch (reason) {
            case CONNECT_TIMEOUT -> new ConnectFailure(reason, "no answer within " + connectTimeout.toMillis() + " ms");
            case CONNECT_REFUSED -> REFUSED;
            default -> new ConnectFailure(reason, TlsFailures.rootMessage(cause));
        };
    }
}
