package org.phoneemu.tls.client;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;

/**
 * Why a gated TLS exchange (a TVS request or an HTTPS GET of the phone) gave no answer. One type for both, so a
 * connect or TLS failure reads the same whichever service the phone was talking to.
 */
public enum ExchangeFailure {
    /** The name has no IPv4 address (the phone runs IPv4-only). */
    UNRESOLVED,
    CONNECT_REFUSED,
    CONNECT_TIMEOUT,
    CONNECT_FAILED,
    /** The TLS handshake failed or timed out, or the server presented no certificate. */
    TLS_FAILED,
    /** No response within the read timeout. */
    READ_TIMEOUT,
    /** The server hung up (or the connection broke) before answering. */
    CONNECTION_CLOSED,

    /** TVS: the server's TLS certificate is not a TVS record of the CTL/ITL: nothing was sent to it. */
    UNTRUSTED_TVS_CERTIFICATE,
    /** HTTPS: the certificate decider threw or completed exceptionally: treated as no decision, nothing sent. */
    DECISION_FAILED,
    /** HTTPS: the certificate decider did not answer in time: nothing sent. */
    DECISION_TIMEOUT,

    /** TVS: the response breaks the wire format. */
    MALFORMED_RESPONSE,
    /** TVS: a well-formed response to some other session. */
    WRONG_SESSION_ID,
    /** TVS: a well-formed frame that is not the response to the request sent. */
    WRONG_COMMAND,
    /** TVS: a response without the STATUS element. */
    MISSING_STATUS,
    /** TVS: a response whose certificate cannot be parsed (QUERY). */
    BAD_CERTIFICATE,
    /** HTTPS: not an https URL with a host. */
    BAD_URL,
    /** HTTPS: the response body is over the limit. */
    BODY_TOO_LARGE,
    /** HTTPS: the response is not valid HTTP, or came before the request. */
    BAD_RESPONSE,
    /** Anything else (a bug, a local error). */
    INTERNAL_ERROR;

    /** The failure of a TCP connect that did not complete. */
    public static ExchangeFailure ofConnect(Throwable cause) {
        return cause instanceof ConnectTimeoutException ? CONNECT_TIMEOUT
                : cause instanceof ConnectException ? CONNECT_REFUSED : CONNECT_FAILED;
    }
}
