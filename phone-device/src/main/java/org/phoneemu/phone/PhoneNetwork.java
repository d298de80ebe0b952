package org.phoneemu.phone;

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
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.boot.BootSession;
import org.phoneemu.tvs.https.HttpsResult;

/**
 * The phone's three network verbs. The Netty implementation ({@link NettyPhoneNetwork}) drives the TFTP, TVS and
 * HTTPS clients; the phone's decisions stay in phone-core. TFTP downloads come back as
 * {@link BootDownloader.Download} (name, server, {@link org.phoneemu.tftp.client.TftpResult}), used as is; an HTTPS
 * GET as the client's {@link HttpsResult}; a TVS question as a {@link TvsReply} (the answer and each server asked).
 */
public interface PhoneNetwork {
    /**
     * A phone's TFTP side, logged into its console log: the boot sequence (trust lists, then the config names
     * the trust engine asks for), single downloads, and whether the servers were unreachable during a boot.
     */
    BootSession tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log);

    /**
     * The phone's download session for its {@code provisioning} path (docs/PROTOCOLS.md §4): HTTPS/HTTP before TFTP
     * where the network has HTTP clients; networks without them download over TFTP.
     */
    default BootSession bootSession(String mac, List<InetSocketAddress> servers, ConsoleLog log, Provisioning provisioning) {
        return tftpSession(mac, servers, log);
    }

    /**
     * Asks the TVS servers in priority order; a server is used only if its certificate is a TVS record of
     * {@code trustedLists}, an immutable snapshot of the phone's lists (the check runs on a network thread).
     */
    CompletableFuture<TvsReply> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                          InstalledTrust trustedLists, Optional<KeyMaterial> clientCertificate,
                                          ConsoleLog log);

    /**
     * One CAPF session (docs/CAPF.md): TLS to the server, its certificate judged by {@code request.trustedCapf()}
     * before anything is sent, then the pending certificate operation, writing through {@code flash}. An issued LSC
     * must be valid at {@code phoneClock}'s now. Networks without a CAPF client report the server unreachable.
     */
    default CompletableFuture<CapfOutcome> capf(CapfRequest request, CapfFlash flash, ConsoleLog log, java.time.Clock phoneClock) {
        return CompletableFuture.completedFuture(new CapfOutcome.Unreachable(List.of("this phone network has no CAPF client")));
    }

    /**
     * Registers to the first CallManager of {@code request.targets()} that answers finally (docs/SIP.md §3): over TLS the
     * phone presents {@code request.clientCertificate()} and sends nothing to a CallManager whose certificate
     * {@code request.trustedCallManager()} refuses. Completes with the outcome, never exceptionally. Networks without a
     * SIP client answer that no CallManager was reached.
     */
    default CompletableFuture<org.phoneemu.core.sip.RegistrationOutcome> register(RegisterRequest request, ConsoleLog log) {
        return CompletableFuture.completedFuture(new org.phoneemu.core.sip.RegistrationOutcome.Unreachable(request.targets().stream()
                .map(t -> new org.phoneemu.core.sip.RegistrationOutcome.Attempt(t,
                        org.phoneemu.core.sip.RegistrationOutcome.AttemptFailure.CONNECT_FAILED, "this phone network has no SIP client"))
                .toList()));
    }

    /**
     * The phone's client certificate {@code identity} was replaced or deleted (a CAPF install over an LSC, a CAPF
     * delete): whatever the network keeps for it (a kept SIP connection authenticated by it) is released. Nothing to do
     * by default.
     */
    default void clientCertificateReplaced(KeyMaterial identity) {
    }

    /**
     * HTTPS GET; {@code decider} sees the server certificate before any request byte is sent. Completes with the
     * client's result ({@link HttpsResult.Refused} when the decider said no), never exceptionally.
     */
    CompletableFuture<HttpsResult> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log);
}
