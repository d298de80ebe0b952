package org.phoneemu.tvs.client;

import java.net.Inet4Address;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.phoneemu.tvs.frame.TvsFrame;

/**
 * TVS servers that answer in process, without a socket (a prediction, a test): where a configured host resolves, and
 * which server answers at an address. {@link TvsClient#inProcess} asks them with the client's own order, failover,
 * trust check, response checks and console lines; only TCP and TLS are left out.
 */
public interface TvsPeers {
    /** The IPv4 address of {@code host} (an address or a name); empty: it does not resolve. */
    Optional<Inet4Address> resolve(String host);

    /** The server listening at {@code address}:{@code port}; empty: the connection is refused. */
    Optional<Peer> at(Inet4Address address, int port);

    /** One server: the certificate its TLS would present, and its answer to a request frame. */
    interface Peer {
        X509Certificate certificate();

        TvsFrame answer(TvsFrame request);
    }
}
