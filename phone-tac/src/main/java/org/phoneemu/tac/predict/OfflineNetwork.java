package org.phoneemu.tac.predict;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.https.DirectoryServer;
import org.phoneemu.cucm.sip.RegistrarAnswer;
import org.phoneemu.cucm.sip.RegistrarDirectory;
import org.phoneemu.cucm.sip.RegistrarRules;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.RegisterRequest;
import org.phoneemu.sip.client.CiscoRegister;
import org.phoneemu.sip.client.RegisterIdentity;
import org.phoneemu.sip.client.SipConsole;
import org.phoneemu.sip.client.SipRegistrationClient;
import org.phoneemu.sip.codec.SipMessage;
import org.phoneemu.tls.client.ConnectFailure;
import org.phoneemu.tls.client.Ipv4;
import org.phoneemu.phone.PhoneNetwork;
import org.phoneemu.phone.PhoneTvs;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.boot.BootSession;
import org.phoneemu.tftp.boot.HttpRead;
import org.phoneemu.tftp.boot.HttpReads;
import org.phoneemu.tftp.boot.ProvisioningSession;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tftp.client.TftpResult;
import org.phoneemu.tvs.client.TvsClient;
import org.phoneemu.tvs.client.TvsClientOptions;
import org.phoneemu.tvs.client.TvsPeers;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.https.HttpsResult;
import org.phoneemu.tvs.https.PhoneHttpsClient;
import org.phoneemu.tls.client.ExchangeFailure;
import org.phoneemu.tls.client.GatedTlsExchange;

/**
 * The phone's network for a prediction, without a socket: TFTP reads, and the HTTP 6970 / HTTPS 6971 reads of phones
 * that provision over HTTP, return what the (copied) cluster serves at that moment; a TVS question goes through the phone's real TVS client ({@link TvsClient#inProcess}: its priority
 * order, failover, trust check of each server's certificate, response checks and console lines), whose servers are
 * the nodes with a TVS service, each answering as cucm-sim's TVS server does from the cluster's certificate store; an
 * HTTPS server presents its node's tomcat certificate. What each TVS server did comes back in the phone's reports as
 * values ({@link org.phoneemu.core.tvs.TvsServerAnswer}). A REGISTER goes to the node's registrar as the phone's SIP client
 * sends it: CallManager's certificate judged by the phone first, then the simulated registrar's own decision
 * ({@link RegistrarRules#decide}) and answer, read by the SIP client's own mapping.
 */
final class OfflineNetwork implements PhoneNetwork {
    /** The clusters on this network (a migration has two; their nodes have addresses of their own). */
    private final List<ClusterCopy> copies;
    private final TvsClient tvs;

    OfflineNetwork(ClusterCopy copy) {
        this(List.of(copy));
    }

    OfflineNetwork(List<ClusterCopy> copies) {
        this.copies = List.copyOf(copies);
        this.tvs = TvsClient.inProcess(TvsClientOptions.DEFAULTS, new ClusterTvs());
    }

    /** A node and the (copied) cluster it belongs to. */
    private record At(ClusterCopy copy, Node node) {
        Cluster cluster() {
            return copy.cluster();
        }
    }

    private List<At> nodes() {
        return copies.stream().flatMap(c -> c.cluster().nodes().stream().map(n -> new At(c, n))).toList();
    }

    /** The phone's own boot sequence and console lines; only the reads are answered from the cluster's files. */
    @Override
    public BootSession tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log) {
        return new BootDownloader(mac, servers, log, this::read, TftpOptions.defaults(), 27);
    }

    /**
     * A phone that provisions over HTTP asks the node's HTTP 6970 and HTTPS 6971 sides first, as on the running cluster
     * (when the cluster file turns them on): the phone's own provisioning session, console lines and fallbacks; over
     * 6971 the node presents its tomcat-ECDSA certificate to the phone's own decision before any file is given.
     */
    @Override
    public BootSession bootSession(String mac, List<InetSocketAddress> servers, ConsoleLog log, org.phoneemu.phone.Provisioning provisioning) {
        BootDownloader tftp = new BootDownloader(mac, servers, log, this::read, TftpOptions.defaults(), 27);
        if (!provisioning.path().usesHttp() || servers.isEmpty()) {
            return tftp;
        }
        return new ProvisioningSession(tftp, servers, log, new ClusterHttp(), provisioning.httpPort(), provisioning.httpsPort());
    }

    /** The nodes' HTTP and HTTPS provisioning sides, answered from what each (copied) node serves. */
    private final class ClusterHttp implements HttpReads {
        @Override
        public CompletableFuture<HttpRead> http(InetSocketAddress server, String name, long maxSize, java.time.Duration deadline) {
            Optional<At> node = tftpNode(List.of(server)).filter(n -> n.cluster().spec().provisioning().http());
            return CompletableFuture.completedFuture(node.isEmpty() ? HttpRead.Failed.REFUSED
                    : new HttpRead.Answered(served(node.get(), name, false, maxSize)));
        }

        @Override
        public CompletableFuture<HttpRead> https(InetSocketAddress server, String name, long maxSize,
                                                 Function<X509Certificate, CompletableFuture<Boolean>> judge) {
            Optional<At> node = tftpNode(List.of(server)).filter(n -> n.cluster().spec().provisioning().https());
            if (node.isEmpty()) {
                return CompletableFuture.completedFuture(HttpRead.Failed.REFUSED);
            }
            CompletableFuture<Boolean> decision;
            try {
                decision = judge.apply(node.get().node().certificate(CertificateUnit.TOMCAT_ECDSA));
            } catch (RuntimeException e) {
                decision = CompletableFuture.failedFuture(e);
            }
            return decision.handle((allowed, error) -> error != null ? new HttpRead.Failed("certificate check failed: " + error.getMessage())
                    : Boolean.TRUE.equals(allowed) ? new HttpRead.Answered(served(node.get(), name, true, maxSize))
                    : new HttpRead.Failed("server certificate not trusted"));
        }

        private TftpResult served(At node, String name, boolean secure, long maxSize) {
            Optional<String> file = org.phoneemu.cucm.tftp.ProvisioningServer.lookup(node.cluster().files(node.node().id()), name, secure)
                    .map(org.phoneemu.cucm.files.TftpFile::name);
            return file.flatMap(f -> node.copy().file(node.node().id(), f))
                    .<TftpResult>map(b -> b.length > maxSize ? new TftpResult.TooLarge(maxSize) : new TftpResult.Received(b))
                    .orElseGet(TftpResult.FileNotFound::new);
        }
    }

    private CompletableFuture<TftpResult> read(InetSocketAddress server, String name, TftpOptions options) {
        Optional<At> node = tftpNode(List.of(server));
        if (node.isEmpty()) {
            return CompletableFuture.completedFuture(new TftpResult.TimedOut(1));
        }
        TftpResult r = node.get().copy().file(node.get().node().id(), name)
                .<TftpResult>map(b -> b.length > options.maxSize() ? new TftpResult.TooLarge(options.maxSize()) : new TftpResult.Received(b))
                .orElseGet(TftpResult.FileNotFound::new);
        return CompletableFuture.completedFuture(r);
    }

    private Optional<At> tftpNode(List<InetSocketAddress> servers) {
        List<At> nodes = nodes();
        for (InetSocketAddress a : servers) {
            for (At n : nodes) {
                if (n.node().tftp() && a.getAddress() != null && a.getAddress().equals(n.node().address())) {
                    return Optional.of(n);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public CompletableFuture<TvsReply> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                                 InstalledTrust trustedLists, Optional<KeyMaterial> clientCertificate,
                                                 ConsoleLog log) {
        return PhoneTvs.verify(tvs, servers, certificate, deviceName, trustedLists, clientCertificate, log);
    }

    /** The cluster's TVS services as the TVS client's servers: a node's address or names resolve to it. */
    private final class ClusterTvs implements TvsPeers {
        @Override
        public Optional<Inet4Address> resolve(String host) {
            return OfflineNetwork.this.at(host).map(n -> n.node().address()).filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast)
                    .or(() -> ipv4Literal(host));
        }

        @Override
        public Optional<Peer> at(Inet4Address address, int port) {
            return nodes().stream().filter(n -> n.node().tvs() && n.node().address().equals(address)).findFirst().map(n -> new Peer() {
                @Override
                public X509Certificate certificate() {
                    return n.node().certificate(CertificateUnit.TVS);
                }

                @Override
                public TvsFrame answer(TvsFrame request) {
                    // Each TVS answers from its own cluster's certificate store.
                    return org.phoneemu.cucm.tvs.TvsServer.answer(n.cluster().tvsCertificateStore(), n.cluster().spec().tvsTtl(),
                            n.cluster().clock(), request)
                            .orElseThrow(() -> new IllegalArgumentException("not a TVS request: " + request.command()));
                }
            });
        }
    }

    /**
     * As the phone's SIP client does ({@link SipRegistrationClient}), the targets in order: a node that runs CallManager
     * at the target's port presents its CallManager certificate (over TLS), which the phone judges before anything is
     * sent; then the registrar's rules decide on the REGISTER the client would build, and the client's mapping of the
     * answer ends the registration (2xx, 4xx/6xx) or moves on (5xx). Console lines are the client's. Over TLS no suite is
     * negotiated here, so a registration reports none.
     */
    @Override
    public CompletableFuture<RegistrationOutcome> register(RegisterRequest request, ConsoleLog log) {
        RegisterIdentity identity = new RegisterIdentity(new Mac(request.mac()), new PhoneModel(request.model()), NettyPhoneNetwork.FIRMWARE);
        List<RegistrationOutcome.Attempt> failures = new ArrayList<>();
        for (int i = 0; i < request.targets().size(); i++) {
            RegistrationOutcome outcome = registerAt(request, identity, request.targets().get(i), i, log);
            if (outcome instanceof RegistrationOutcome.Unreachable next) {
                failures.addAll(next.attempts());
                continue;
            }
            return CompletableFuture.completedFuture(outcome);
        }
        return CompletableFuture.completedFuture(new RegistrationOutcome.Unreachable(failures));
    }

    /** One target: connect, the TLS gate, then the registrar's answer to the phone's REGISTER; unreachable moves on. */
    private RegistrationOutcome registerAt(RegisterRequest request, RegisterIdentity identity, CallManagerTarget target, int i, ConsoleLog log) {
        log.notice(SipConsole.connecting(target));
        Optional<At> at = at(target.node());
        if (at.isEmpty() && ipv4Literal(target.node()).isEmpty()) {
            String why = Ipv4.whyUnresolved(new UnknownHostException(target.node()), target.node());
            log.error(SipConsole.connectFailed(target, why));
            return failed(target, RegistrationOutcome.AttemptFailure.CONNECT_FAILED, why);
        }
        Optional<InetSocketAddress> registrar = at.flatMap(n -> n.cluster().sipAddress(n.node().id(), target.transport()))
                .filter(a -> a.getPort() == target.port());
        if (registrar.isEmpty()) {
            // No CallManager listens there: the phone's connect is refused, in the one connect-failure mapping's words.
            String why = ConnectFailure.REFUSED.why();
            log.error(SipConsole.connectFailed(target, why));
            return failed(target, RegistrationOutcome.AttemptFailure.CONNECT_FAILED, why);
        }
        Node node = at.get().node();
        if (target.transport() == SipTransport.TLS) {
            Optional<RegistrationOutcome> refused = tlsGate(request, target, node, log);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        return answer(request, identity, target, i, at.get().cluster(), node, log);
    }

    private static RegistrationOutcome failed(CallManagerTarget target, RegistrationOutcome.AttemptFailure failure, String why) {
        return new RegistrationOutcome.Unreachable(List.of(new RegistrationOutcome.Attempt(target, failure, why)));
    }

    /** The phone judges the CallManager certificate before anything is sent: trusted, then not past its end date. */
    private static Optional<RegistrationOutcome> tlsGate(RegisterRequest request, CallManagerTarget target, Node node, ConsoleLog log) {
        log.notice(GatedTlsExchange.VALIDATION_NEEDED);
        X509Certificate callManager = node.certificate(CertificateUnit.CALLMANAGER);
        if (!request.trustedCallManager().test(callManager)) {
            String who = callManager.getSubjectX500Principal().getName();
            log.error(SipConsole.untrusted(target, who));
            return Optional.of(failed(target, RegistrationOutcome.AttemptFailure.UNTRUSTED_CERTIFICATE, who));
        }
        // The TLS gate's second question, on the phone's clock: a trusted CallManager past its end date gets nothing.
        Optional<String> expired = org.phoneemu.core.trust.ExpiredSigner.checkServer(callManager, log.clock().instant());
        if (expired.isPresent()) {
            log.error(SipConsole.expired(target, expired.get()));
            return Optional.of(failed(target, RegistrationOutcome.AttemptFailure.EXPIRED_CERTIFICATE, expired.get()));
        }
        return Optional.empty();
    }

    /** The registrar's rules decide on the REGISTER the phone would send; the client's mapping of the answer is the outcome. */
    private static RegistrationOutcome answer(RegisterRequest request, RegisterIdentity identity, CallManagerTarget target, int i,
                                              Cluster cluster, Node node, ConsoleLog log) {
        // The phone's own REGISTER; no socket, so its Via and Contact carry an unspecified local address.
        CiscoRegister.Dialog dialog = new CiscoRegister.Dialog(request.mac().toLowerCase(Locale.ROOT) + "-predict", "predict", 101 + i,
                "z9hG4bKpredict" + i);
        SipMessage.Request register = CiscoRegister.build(identity, target, "0.0.0.0", 0, "predict-" + request.mac().toLowerCase(Locale.ROOT),
                dialog, cluster.clock().instant());
        log.notice(SipConsole.sent(target));
        RegistrarDirectory directory = cluster.registrarDirectory();
        RegistrarRules.Decision decision = RegistrarRules.decide(register, target.transport(),
                target.transport() == SipTransport.TLS ? request.clientCertificate().map(KeyMaterial::chain).orElse(List.of()) : List.of(),
                directory);
        SipMessage.Response answer = RegistrarAnswer.of(register, decision, node.hostname(), directory.now(), directory.keepAliveExpires());
        return SipRegistrationClient.answered(log, target, answer, Optional.empty());
    }

    /** A dotted IPv4 address as written, never a name lookup. */
    private static Optional<Inet4Address> ipv4Literal(String host) {
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByName(host));
        } catch (java.io.IOException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** The node at {@code host}: its address, host name or FQDN. */
    Optional<Node> node(String host) {
        return at(host).map(At::node);
    }

    private Optional<At> at(String host) {
        String a = host.toLowerCase(Locale.ROOT);
        return nodes().stream().filter(n -> n.node().address().getHostAddress().equals(a) || n.node().hostname().equalsIgnoreCase(a)
                || n.node().fqdn().equalsIgnoreCase(a)).findFirst();
    }

    /**
     * As the phone's HTTPS client does (a gated TLS exchange): the node's tomcat certificate goes to the phone's own
     * decision before anything is sent, and the page comes only after a yes. The node is the one at the URL's host;
     * its page is what its directory server would send.
     */
    @Override
    public CompletableFuture<HttpsResult> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log) {
        String host = url.getHost() == null ? "" : url.getHost();
        Optional<At> node = at(host);
        int port = url.getPort() > 0 ? url.getPort() : 443;
        if (node.isEmpty()) {
            log.error(PhoneHttpsClient.connectFailedLine(host, port, ConnectFailure.REFUSED.why()));
            return CompletableFuture.completedFuture(new HttpsResult.Failed(ExchangeFailure.CONNECT_REFUSED, "no node of the cluster at " + host));
        }
        Node n = node.get().node();
        Cluster cluster = node.get().cluster();
        String ip = n.address().getHostAddress();
        log.notice(GatedTlsExchange.VALIDATION_NEEDED);
        X509Certificate tomcat = n.certificate(CertificateUnit.TOMCAT);
        CompletableFuture<Boolean> decision;
        try {
            decision = decider.apply(tomcat);
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        return decision.handle((allowed, error) -> {
            if (error != null) {
                return new HttpsResult.Failed(ExchangeFailure.INTERNAL_ERROR, "certificate check failed: " + error.getMessage());
            }
            if (!Boolean.TRUE.equals(allowed)) {
                log.error(PhoneHttpsClient.notTrustedLine(ip));
                return new HttpsResult.Refused(tomcat, "the phone does not trust the certificate");
            }
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            return DirectoryServer.page(path, new io.netty.handler.codec.http.QueryStringDecoder(url).parameters(), url.getPort() > 0 ? host + ":" + url.getPort() : host, cluster.spec().directory())
                    .<HttpsResult>map(page -> new HttpsResult.Ok(200, "text/xml", page.getBytes(StandardCharsets.UTF_8)))
                    .orElseGet(() -> new HttpsResult.Ok(404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8)));
        });
    }

    /** The node whose tomcat answers at {@code host} (its address, host name or FQDN). */
    Optional<Node> httpsNode(String host) {
        return node(host);
    }
}
