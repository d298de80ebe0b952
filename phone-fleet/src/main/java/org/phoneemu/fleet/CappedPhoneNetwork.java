package org.phoneemu.fleet;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.phoneemu.capf.api.CapfFlash;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.api.CapfRequest;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.PhoneNetwork;
import org.phoneemu.tftp.boot.BootSession;
import org.phoneemu.tvs.https.HttpsResult;

/**
 * The phones' network with every request through one {@link ServerSlots}: at most N in flight to each server
 * address. TFTP reads, HTTP(S) requests and the HTTP 6970 / HTTPS 6971 downloads of {@code --transport} are capped
 * here; on a Netty network each TVS, CAPF and SIP connection is capped by its client
 * ({@link NettyPhoneNetwork#limitConnections}), where the address each connection goes to is known.
 */
final class CappedPhoneNetwork implements PhoneNetwork {
    private final PhoneNetwork network;
    private final ServerSlots slots;

    CappedPhoneNetwork(PhoneNetwork network, ServerSlots slots) {
        this.network = network;
        this.slots = slots;
        if (network instanceof NettyPhoneNetwork netty) {
            netty.limitConnections(slots);
        }
    }

    @Override
    public BootSession tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log) {
        return bootSession(mac, servers, log, org.phoneemu.phone.Provisioning.TFTP_ONLY);
    }

    @Override
    public BootSession bootSession(String mac, List<InetSocketAddress> servers, ConsoleLog log, org.phoneemu.phone.Provisioning provisioning) {
        if (network instanceof NettyPhoneNetwork netty) {
            return netty.bootSession(mac, servers, log, provisioning, slots::tftp, slots::http);
        }
        return network.bootSession(mac, servers, log, provisioning); // reads answered in process: no server to spare
    }

    @Override
    public CompletableFuture<org.phoneemu.core.sip.RegistrationOutcome> register(org.phoneemu.phone.RegisterRequest request, ConsoleLog log) {
        return network.register(request, log);
    }

    @Override
    public CompletableFuture<TvsReply> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                                 InstalledTrust trustedLists, Optional<KeyMaterial> clientCertificate, ConsoleLog log) {
        return network.tvsVerify(servers, certificate, deviceName, trustedLists, clientCertificate, log);
    }

    @Override
    public CompletableFuture<CapfOutcome> capf(CapfRequest request, CapfFlash flash, ConsoleLog log, java.time.Clock phoneClock) {
        return network.capf(request, flash, log, phoneClock);
    }

    @Override
    public CompletableFuture<HttpsResult> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log) {
        int port = url.getPort() > 0 ? url.getPort() : "http".equalsIgnoreCase(url.getScheme()) ? 80 : 443;
        String host = url.getHost() == null ? "" : url.getHost();
        return slots.run(InetSocketAddress.createUnresolved(host, port), () -> network.httpsGet(url, decider, log));
    }
}
