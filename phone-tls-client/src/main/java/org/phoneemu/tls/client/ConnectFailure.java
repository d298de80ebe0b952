package org.phoneemu.tls.client;

import java.time.Duration;

/**
 * Why a TCP connect of the phone did not complete, and its words for the console and the result: the one mapping for
 * TVS, HTTPS and CAPF.
 */
public record ConnectFailure(ExchangeFailure reason, String why) {
    public static ConnectFailure of(Throwable cause, Duration connectTimeout) {
        ExchangeFailure reason = ExchangeFailure.ofConnect(cause);
        String why = switch (reason) {
            case CONNECT_TIMEOUT -> "no answer within " + connectTimeout.toMillis() + " ms";
            case CONNECT_REFUSED -> "connection refused";
            default -> TlsFailures.rootMessage(cause);
        };
        return new ConnectFailure(reason, why);
    }
}
