package org.phoneemu.cucm.sip;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a registrar has done since it started, counted: what a registration costs it (connections, TLS handshakes and
 * how many of them were full ones, requests, answers). Read by tests and the registration bench; nothing decides on them.
 *
 * @param tlsConnections   connections accepted on the secured SIP port
 * @param tlsHandshakes    TLS handshakes completed
 * @param fullHandshakes   handshakes in which the registrar used its CallManager private key (one RSA private-key
 *                         operation each: its CertificateVerify in TLS 1.3, the premaster's decryption with RSA key
 *                         transport); a resumed handshake uses none
 * @param requests         requests received, by method: REGISTER, REFER, and {@code other} for any other method
 * @param answers          answers sent, by status code
 * @param suites           completed TLS handshakes by protocol and suite ({@code TLSv1.3 TLS_AES_256_GCM_SHA384})
 */
public record RegistrarCounts(long tlsConnections, long tlsHandshakes, long fullHandshakes, Map<String, Long> requests,
                              Map<Integer, Long> answers, Map<String, Long> suites) {
    public RegistrarCounts {
        requests = Map.copyOf(requests);
        answers = Map.copyOf(answers);
        suites = Map.copyOf(suites);
    }

    /** Handshakes that completed without the registrar's key: resumed sessions. */
    public long resumedHandshakes() {
        return Math.max(0, tlsHandshakes - fullHandshakes);
    }

    /** What was counted after {@code before}, a snapshot of the same registrar taken earlier. */
    public RegistrarCounts since(RegistrarCounts before) {
        return new RegistrarCounts(tlsConnections - before.tlsConnections, tlsHandshakes - before.tlsHandshakes,
                fullHandshakes - before.fullHandshakes, minus(requests, before.requests), minus(answers, before.answers),
                minus(suites, before.suites));
    }

    private static <K extends Comparable<K>> Map<K, Long> minus(Map<K, Long> now, Map<K, Long> before) {
        Map<K, Long> out = new TreeMap<>();
        now.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }
}
