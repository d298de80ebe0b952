/**
 * The phone's TLS client pieces shared by TVS, the HTTPS check and CAPF: client contexts whose trust is deferred to
 * the phone ({@link org.phoneemu.tls.client.ClientTls}), the connection shape ({@link org.phoneemu.tls.client.TlsConnections}),
 * the one rule "nothing is sent before the phone trusts the peer" ({@link org.phoneemu.tls.client.TrustGate}, under
 * {@link org.phoneemu.tls.client.GatedTlsExchange}), and one failure vocabulary ({@link org.phoneemu.tls.client.ExchangeFailure},
 * {@link org.phoneemu.tls.client.TlsFailures#rootMessage}).
 */
package org.phoneemu.tls.client;
