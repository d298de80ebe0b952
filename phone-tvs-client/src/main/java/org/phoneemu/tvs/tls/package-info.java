/**
 * The gated TLS exchange shared by the TVS client and the phone's HTTPS check: connect, TLS handshake, the
 * server's certificate judged by the phone, and only then the request, one response, close. Nothing is sent before
 * the trust decision. {@link org.phoneemu.tvs.tls.ExchangeFailure} is the one failure type of both.
 */
package org.phoneemu.tvs.tls;
