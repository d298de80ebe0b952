package org.phoneemu.tac.served;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.tvs.https.HttpsOptions;
import org.phoneemu.tvs.https.HttpsResult;
import org.phoneemu.tvs.https.PhoneHttpsClient;

/**
 * The certificate a live node's HTTPS provisioning port (6971) presents, read as the phone's HTTPS client reads it: a
 * TLS handshake whose certificate decision says no, so no request is ever sent (read-only, like the TFTP reads).
 */
final class ProvisioningProbe {
    private final PhoneHttpsClient client;

    ProvisioningProbe(EventLoopGroup group) {
        this.client = new PhoneHttpsClient(group, HttpsOptions.DEFAULTS);
    }

    /** The certificate {@code server} presents; empty when nothing answers there or no TLS handshake completes. */
    CompletableFuture<Optional<X509Certificate>> certificate(InetSocketAddress server) {
        String host = server.getAddress() != null ? server.getAddress().getHostAddress() : server.getHostString();
        URI url = URI.create("https://" + host + ":" + server.getPort() + "/");
        ConsoleLog quiet = new ConsoleLog("audit", Clock.systemUTC(), 16);
        return client.get(url, (cert, peer) -> CompletableFuture.completedFuture(false), quiet)
                .thenApply(r -> r instanceof HttpsResult.Refused refused ? Optional.of(refused.serverCertificate()) : Optional.<X509Certificate>empty());
    }
}
