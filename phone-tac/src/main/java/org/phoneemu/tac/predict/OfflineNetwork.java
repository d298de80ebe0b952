package org.phoneemu.tac.predict;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trust.TvsServerAuthentication;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.https.DirectoryServer;
import org.phoneemu.cucm.tvs.CertificateStore;
import org.phoneemu.phone.PhoneNetwork;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tftp.client.TftpResult;
import org.phoneemu.tvs.client.TvsServer;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.https.PhoneHttpsClient;
import org.phoneemu.tls.client.GatedTlsExchange;

/**
 * The phone's network for a prediction, without a socket: TFTP reads return what the (copied) cluster serves at
 * that moment, a TVS question is answered from what each node's TVS knows (the cluster's certificate store)
 * and whether the phone trusts that node's TVS certificate, and an HTTPS server presents its node's tomcat certificate. Like the real TVS client it asks the configured
 * servers in priority order, hangs up on one whose certificate the phone does not trust, and takes the first
 * answer. Every TVS question is recorded per device, so the prediction can say which node would answer what.
 */
final class OfflineNetwork implements PhoneNetwork {
    private final ClusterCopy copy;
    private final Cluster cluster;
    private final Map<String, List<TvsConsultation>> consultations = new ConcurrentHashMap<>();

    OfflineNetwork(ClusterCopy copy) {
        this.copy = copy;
        this.cluster = copy.cluster();
    }

    /** The TVS questions a device asked since the last call, and forgets them. */
    List<TvsConsultation> takeConsultations(String deviceName) {
        List<TvsConsultation> l = consultations.remove(deviceName);
        return l == null ? List.of() : l;
    }

    /** The phone's own boot sequence and console lines; only the reads are answered from the cluster's files. */
    @Override
    public BootDownloader tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log) {
        return new BootDownloader(mac, servers, log, this::read, TftpOptions.defaults(), 27);
    }

    private CompletableFuture<TftpResult> read(InetSocketAddress server, String name, TftpOptions options) {
        Optional<Node> node = tftpNode(List.of(server));
        if (node.isEmpty()) {
            return CompletableFuture.completedFuture(new TftpResult.TimedOut(1));
        }
        TftpResult r = copy.file(node.get().id(), name)
                .<TftpResult>map(b -> b.length > options.maxSize() ? new TftpResult.TooLarge(options.maxSize()) : new TftpResult.Received(b))
                .orElseGet(TftpResult.FileNotFound::new);
        return CompletableFuture.completedFuture(r);
    }

    private Optional<Node> tftpNode(List<InetSocketAddress> servers) {
        List<Node> nodes = cluster.nodes();
        for (InetSocketAddress a : servers) {
            for (Node n : nodes) {
                if (n.tftp() && a.getAddress() != null && a.getAddress().equals(n.address())) {
                    return Optional.of(n);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public CompletableFuture<TvsAnswer> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                                  InstalledTrust trustedLists, Optional<KeyMaterial> clientCertificate,
                                                  ConsoleLog log) {
        List<TvsConsultation> asked = consultations.computeIfAbsent(deviceName, k -> new ArrayList<>());
        CertificateStore store = cluster.tvsCertificateStore();
        List<String> failures = new ArrayList<>();
        // The TVS client's priority order and console names: the same TvsServer the Netty client uses.
        for (TvsServer s : TvsServer.fromConfig(servers)) {
            Optional<Node> node = tvsNode(s.host());
            if (node.isEmpty()) {
                asked.add(new TvsConsultation(s.host(), "no TVS"));
                failures.add(s + ": no TVS service there");
                continue;
            }
            Node n = node.get();
            String ip = n.address().getHostAddress();
            if (!TvsServerAuthentication.isTrustedTvs(trustedLists, n.certificate(CertificateUnit.TVS))) {
                log.error("SECD: EROR:tvs_cert_vfy: TVS cert not found in TL, closing the connection, <" + ip + ">");
                asked.add(new TvsConsultation(n.hostname(), "not trusted"));
                failures.add(ip + ": TVS certificate not in the installed lists");
                continue;
            }
            String server = s.toString();
            if (store.lookup(certificate) instanceof CertificateStore.Lookup.FoundEqual found) {
                log.notice("SECD: processTvsSrvrResponse: Certificate is valid per the TVS server " + s.describeAt(ip));
                asked.add(new TvsConsultation(n.hostname(), "valid"));
                return CompletableFuture.completedFuture(new TvsAnswer.Valid(server, found.entry().roles(),
                        OptionalLong.of(cluster.spec().tvsTtl().toSeconds())));
            }
            log.notice("SECD: processTvsSrvrResponse: Certificate is not valid (status " + TvsFrame.STATUS_INVALID
                    + ") per the TVS server " + s.describeAt(ip));
            asked.add(new TvsConsultation(n.hostname(), "invalid"));
            return CompletableFuture.completedFuture(new TvsAnswer.Invalid(server, TvsFrame.STATUS_INVALID));
        }
        log.error("SECD: EROR:processTvsClntReq: No TVS server could be used, " + servers.size() + " tried");
        return CompletableFuture.completedFuture(new TvsAnswer.Unreachable(String.join("; ", failures)));
    }

    private Optional<Node> tvsNode(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        return cluster.nodes().stream().filter(Node::tvs)
                .filter(n -> n.address().getHostAddress().equals(a) || n.hostname().equalsIgnoreCase(a) || n.fqdn().equalsIgnoreCase(a))
                .findFirst();
    }

    /**
     * As the phone's HTTPS client does (a gated TLS exchange): the node's tomcat certificate goes to the phone's own
     * decision before anything is sent, and the page comes only after a yes. The node is the one at the URL's host;
     * its page is what its directory server would send.
     */
    @Override
    public CompletableFuture<HttpsOutcome> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log) {
        String host = url.getHost() == null ? "" : url.getHost();
        Optional<Node> node = httpsNode(host);
        int port = url.getPort() > 0 ? url.getPort() : 443;
        if (node.isEmpty()) {
            log.error("SECD: EROR:clpSetupSsl: TCP connect failed, <" + host + "> port: " + port + "; connection refused");
            return CompletableFuture.completedFuture(new HttpsOutcome.Failed("no node of the cluster at " + host));
        }
        Node n = node.get();
        String ip = n.address().getHostAddress();
        log.notice(GatedTlsExchange.VALIDATION_NEEDED);
        CompletableFuture<Boolean> decision;
        try {
            decision = decider.apply(n.certificate(CertificateUnit.TOMCAT));
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        return decision.handle((allowed, error) -> {
            if (error != null) {
                return new HttpsOutcome.Failed("certificate check failed: " + error.getMessage());
            }
            if (!Boolean.TRUE.equals(allowed)) {
                log.error(PhoneHttpsClient.notTrustedLine(ip));
                return new HttpsOutcome.Refused();
            }
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            return DirectoryServer.page(path, url.getPort() > 0 ? host + ":" + url.getPort() : host, cluster.spec().directory())
                    .<HttpsOutcome>map(page -> new HttpsOutcome.Ok(200, page.getBytes(StandardCharsets.UTF_8)))
                    .orElseGet(() -> new HttpsOutcome.Ok(404, "not found\n".getBytes(StandardCharsets.UTF_8)));
        });
    }

    /** The node whose tomcat answers at {@code host} (its address, host name or FQDN). */
    Optional<Node> httpsNode(String host) {
        String a = host.toLowerCase(Locale.ROOT);
        return cluster.nodes().stream()
                .filter(n -> n.address().getHostAddress().equals(a) || n.hostname().equalsIgnoreCase(a) || n.fqdn().equalsIgnoreCase(a))
                .findFirst();
    }
}
