package org.phoneemu.tvs.client;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tls.client.ExchangeFailure;
import org.phoneemu.tls.client.ClientTls;
import org.phoneemu.tls.client.TlsProfile;
import org.phoneemu.tls.client.Ipv4;
import org.phoneemu.tvs.client.internal.SecdDescriptors;

/**
 * The phone's TVS client (docs/TVS.md §2, docs/TRUST-RULES.md §7 step 4). For each server in
 * priority order: TLS to it (presenting the phone's LSC or MIC when given), judge its certificate with
 * {@code isTrustedTvsCertificate} (a TVS record of the CTL/ITL) and hang up without sending anything when it is
 * not trusted, else send the request with a fresh session id and parse the one response strictly. The first
 * server that answers decides; any failure moves on to the next server. Futures never complete exceptionally;
 * a bad argument (device name not printable ASCII, unencodable certificate) throws at the call.
 * {@code isTrustedTvsCertificate} runs on an event loop: it must not block.
 *
 * <p>Thread-safe; many phones may share one client (and its event loops) and pass their own console log.
 */
public final class TvsClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final TvsClientOptions options;
    private final ConsoleLog defaultLog;
    private final SecureRandom random = new SecureRandom();
    private final Consumer<Channel> tap;
    /** Who answers: the network (null: TCP and TLS on {@link #group}) or servers in process. */
    private final TvsPeers peers;
    /** Each connection to a TVS server starts through it (a fleet's cap per server). */
    private volatile org.phoneemu.net.ServerLimiter limiter = org.phoneemu.net.ServerLimiter.NONE;

    /** A client on the caller's event loops (not closed by {@link #close()}). */
    public TvsClient(EventLoopGroup group, TvsClientOptions options, ConsoleLog defaultLog) {
        this(group, false, options, defaultLog, ch -> { });
    }

    /**
     * A client on the caller's event loops whose connections pass through {@code tap} before they connect, e.g. to
     * add a packet capture handler at the head of the pipeline (it then sees the TLS records, still encrypted).
     */
    public TvsClient(EventLoopGroup group, TvsClientOptions options, ConsoleLog defaultLog, Consumer<Channel> tap) {
        this(group, false, options, defaultLog, Objects.requireNonNull(tap, "tap"));
    }

    private TvsClient(EventLoopGroup group, boolean ownsGroup, TvsClientOptions options, ConsoleLog defaultLog, Consumer<Channel> tap) {
        this(group, ownsGroup, options, defaultLog, tap, null);
        Objects.requireNonNull(group, "group");
    }

    private TvsClient(EventLoopGroup group, boolean ownsGroup, TvsClientOptions options, ConsoleLog defaultLog, Consumer<Channel> tap,
                      TvsPeers peers) {
        this.peers = peers;
        this.tap = tap;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.options = Objects.requireNonNull(options, "options");
        this.defaultLog = Objects.requireNonNull(defaultLog, "defaultLog");
    }

    /** A client with its own single event loop, shut down by {@link #close()}. */
    public static TvsClient create(TvsClientOptions options, ConsoleLog defaultLog) {
        return new TvsClient(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), true, options, defaultLog, ch -> { });
    }

    /**
     * A client whose servers answer in process ({@link TvsPeers}), without a socket: the same priority order,
     * failover, trust check of each server's certificate, response checks, outcomes and console lines as over the
     * network. For predictions and tests.
     */
    public static TvsClient inProcess(TvsClientOptions options, TvsPeers peers) {
        return new TvsClient(null, false, options, new ConsoleLog("tvs-client", java.time.Clock.systemUTC()), ch -> { },
                Objects.requireNonNull(peers, "peers"));
    }

    public TvsClientOptions options() {
        return options;
    }

    /** VERIFY logging to the client's console log. */
    public CompletableFuture<TvsOutcome> verify(List<TvsServer> serversInPriorityOrder, X509Certificate certificate,
            String deviceName, Predicate<X509Certificate> isTrustedTvsCertificate, Optional<KeyMaterial> clientCertificate) {
        return verify(serversInPriorityOrder, certificate, deviceName, isTrustedTvsCertificate, clientCertificate, defaultLog);
    }

    /**
     * Asks the servers, in order, whether {@code certificate} is trusted. Completes with the first
     * {@link TvsOutcome.Verdict} (valid or not), or {@link TvsOutcome.AllFailed} when no server gave one.
     */
    public CompletableFuture<TvsOutcome> verify(List<TvsServer> serversInPriorityOrder, X509Certificate certificate,
            String deviceName, Predicate<X509Certificate> isTrustedTvsCertificate, Optional<KeyMaterial> clientCertificate,
            ConsoleLog log) {
        byte[] der = der(certificate);
        TvsFrame.deviceNameElement(deviceName); // reject a bad name before touching the network
        return run(serversInPriorityOrder, sessionId -> TvsFrame.verifyRequest(sessionId, deviceName, der),
                TvsExchange.Kind.VERIFY, isTrustedTvsCertificate, clientCertificate, log,
                (server, frame) -> {
                    int status = frame.status().getAsInt();
                    return new Attempt<>(new TvsOutcome.Verdict(server, status == TvsFrame.STATUS_VALID, status,
                            frame.roles(), frame.ttlSeconds()), null);
                }, TlsProfile.forDeviceName(deviceName))
                .thenApply(r -> {
                    TvsOutcome.Verdict v = r.value() == null ? null : withFailedBefore(r.value(), r.failures());
                    if (v != null) {
                        log.notice("SECD: processTvsSrvrResponse: Certificate " + (v.valid() ? "is valid" : "is not valid (status " + v.status() + ")")
                                + " per the TVS server " + TvsExchange.describe(v.server(), v.server().host()));
                        return (TvsOutcome) v;
                    }
                    return new TvsOutcome.AllFailed(r.failures());
                });
    }

    /** QUERY logging to the client's console log. */
    public CompletableFuture<TvsQueryOutcome> query(List<TvsServer> serversInPriorityOrder, TvsQuery query, String deviceName,
            Predicate<X509Certificate> isTrustedTvsCertificate, Optional<KeyMaterial> clientCertificate) {
        return query(serversInPriorityOrder, query, deviceName, isTrustedTvsCertificate, clientCertificate, defaultLog);
    }

    /**
     * Asks the servers, in order, for a certificate. The first server that answers decides (status 0 with a
     * certificate, or "invalid"); a response whose certificate does not parse counts as a failure of that server.
     */
    public CompletableFuture<TvsQueryOutcome> query(List<TvsServer> serversInPriorityOrder, TvsQuery query, String deviceName,
            Predicate<X509Certificate> isTrustedTvsCertificate, Optional<KeyMaterial> clientCertificate, ConsoleLog log) {
        TvsFrame.deviceNameElement(deviceName);
        return run(serversInPriorityOrder,
                sessionId -> TvsFrame.queryRequest(sessionId, deviceName, query.subject(), query.issuer(), query.serialBytes()),
                TvsExchange.Kind.QUERY, isTrustedTvsCertificate, clientCertificate, log,
                (server, frame) -> {
                    int status = frame.status().getAsInt();
                    Optional<byte[]> der = frame.certificate();
                    if (status != TvsFrame.STATUS_VALID || der.isEmpty()) {
                        return new Attempt<>(new TvsQueryOutcome.Answered(server, status, Optional.empty()), null);
                    }
                    try {
                        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                                .generateCertificate(new ByteArrayInputStream(der.get()));
                        return new Attempt<>(new TvsQueryOutcome.Answered(server, status, Optional.of(cert)), null);
                    } catch (CertificateException | RuntimeException e) {
                        log.error("SECD: EROR:processTvsSrvrResponse: Unreadable certificate from the TVS server: "
                                + TvsExchange.describe(server, server.host()));
                        return new Attempt<>(null, new ServerFailure(server, ExchangeFailure.BAD_CERTIFICATE,
                                "the CERTIFICATE element is not a certificate: " + e.getMessage()));
                    }
                }, TlsProfile.forDeviceName(deviceName))
                .thenApply(r -> r.value() != null ? r.value() : new TvsQueryOutcome.AllFailed(r.failures()));
    }

    /**
     * This client bound to one phone's servers, identity and trust: {@code cert -> outcome}, e.g. the TVS step of
     * an {@link org.phoneemu.tvs.https.HttpsCertificateDecider}. The suppliers are read at each call (the config
     * may change).
     */
    public Function<X509Certificate, CompletableFuture<TvsOutcome>> verifier(java.util.function.Supplier<List<TvsServer>> servers,
            String deviceName, Predicate<X509Certificate> isTrustedTvsCertificate, Optional<KeyMaterial> clientCertificate,
            ConsoleLog log) {
        return cert -> verify(servers.get(), cert, deviceName, isTrustedTvsCertificate, clientCertificate, log);
    }

    private record Attempt<T>(T value, ServerFailure failure) {
    }

    private record Run<T>(T value, List<ServerFailure> failures) {
    }

    private interface ResponseMapper<T> {
        Attempt<T> map(TvsServer server, TvsFrame response);
    }

    private <T> CompletableFuture<Run<T>> run(List<TvsServer> servers, java.util.function.LongFunction<TvsFrame> request,
            TvsExchange.Kind kind, Predicate<X509Certificate> isTrusted, Optional<KeyMaterial> clientCertificate, ConsoleLog log,
            ResponseMapper<T> mapper, TlsProfile profile) {
        List<TvsServer> list = List.copyOf(servers);
        Objects.requireNonNull(isTrusted, "isTrustedTvsCertificate");
        List<ServerFailure> failures = new ArrayList<>();
        if (list.isEmpty()) {
            log.error("SECD: EROR:getTvsServerInfo: No TVS server configured");
            return CompletableFuture.completedFuture(new Run<>(null, List.of()));
        }
        SslContext tls;
        try {
            tls = peers != null ? null : ClientTls.context(clientCertificate, profile);
        } catch (RuntimeException e) {
            log.error("SECD: EROR:connectToTvsServer: Cannot set up TLS: " + e.getMessage());
            for (TvsServer s : list) {
                failures.add(new ServerFailure(s, ExchangeFailure.INTERNAL_ERROR, "TLS setup: " + e.getMessage()));
            }
            return CompletableFuture.completedFuture(new Run<>(null, failures));
        }
        // The daemon's client socket for this request (seed: "clnt sock fd 11 bound"), held until the request ends.
        int fd = SecdDescriptors.open(log);
        log.notice("SECD: processTvsClntReq: No server sock exists, must be created");
        log.notice("SECD: secReq_initClient: clnt sock fd " + fd + " bound to </tmp/secClnt_secd>");
        log.notice("SECD: getTvsServerInfo: Phone in IPv4 only mode");
        CompletableFuture<Run<T>> run = attempt(list, 0, request, kind, tls, isTrusted, log, mapper, failures);
        run.whenComplete((r, e) -> SecdDescriptors.release(log, fd));
        return run;
    }

    private <T> CompletableFuture<Run<T>> attempt(List<TvsServer> servers, int index, java.util.function.LongFunction<TvsFrame> request,
            TvsExchange.Kind kind, SslContext tls, Predicate<X509Certificate> isTrusted, ConsoleLog log, ResponseMapper<T> mapper,
            List<ServerFailure> failures) {
        if (index >= servers.size()) {
            log.error("SECD: EROR:processTvsClntReq: No TVS server could be used, " + servers.size() + " tried");
            return CompletableFuture.completedFuture(new Run<>(null, List.copyOf(failures)));
        }
        TvsServer server = servers.get(index);
        log.notice("SECD: getTvsServerInfo: Retrieving IPv4 address");
        return resolve(server.host())
                .handle((address, error) -> {
                    if (error != null) {
                        String why = Ipv4.whyUnresolved(error, server.host());
                        log.error("SECD: EROR:getTvsServerInfo: Cannot resolve the TVS server " + server.host() + "; " + why);
                        return CompletableFuture.completedFuture(
                                new Attempt<T>(null, new ServerFailure(server, ExchangeFailure.UNRESOLVED, why)));
                    }
                    long sessionId = random.nextInt() & 0xffff_ffffL;
                    return exchange(tls, server, address, request.apply(sessionId), kind, isTrusted, log)
                            .thenApply(r -> r.failure() != null ? new Attempt<T>(null, r.failure()) : safeMap(mapper, server, r));
                })
                .thenCompose(f -> f)
                .thenCompose(a -> {
                    if (a.failure() == null) {
                        return CompletableFuture.completedFuture(new Run<>(a.value(), List.copyOf(failures)));
                    }
                    failures.add(a.failure());
                    if (index + 1 < servers.size()) {
                        log.error("SECD: EROR:processTvsClntReq: TVS server " + server + " failed (" + a.failure().reason()
                                + ": " + a.failure().message() + "); trying the next TVS server " + servers.get(index + 1));
                    } else {
                        log.error("SECD: EROR:processTvsClntReq: TVS server " + server + " failed (" + a.failure().reason()
                                + ": " + a.failure().message() + "); no more TVS servers");
                    }
                    return attempt(servers, index + 1, request, kind, tls, isTrusted, log, mapper, failures);
                });
    }

    private static TvsOutcome.Verdict withFailedBefore(TvsOutcome.Verdict v, List<ServerFailure> failures) {
        return new TvsOutcome.Verdict(v.server(), v.valid(), v.status(), v.roles(), v.ttlSeconds(), failures);
    }

    private CompletableFuture<java.net.Inet4Address> resolve(String host) {
        if (peers == null) {
            return Ipv4.resolve(host);
        }
        return peers.resolve(host).map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new UnknownHostException(host)));
    }

    /** Each connection to a TVS server from now on starts through {@code limiter} (a fleet's cap per server address). */
    public TvsClient limitConnections(org.phoneemu.net.ServerLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        return this;
    }

    private CompletableFuture<TvsExchange.Result> exchange(SslContext tls, TvsServer server, java.net.Inet4Address address,
            TvsFrame request, TvsExchange.Kind kind, Predicate<X509Certificate> isTrusted, ConsoleLog log) {
        if (peers == null) {
            return limiter.run(new java.net.InetSocketAddress(address, server.port()),
                    () -> TvsExchange.run(group, options, tls, server, address, request, kind, isTrusted, log, tap));
        }
        return TvsExchange.inProcess(options, server, address, peers.at(address, server.port()), request, kind, isTrusted, log);
    }

    private static <T> Attempt<T> safeMap(ResponseMapper<T> mapper, TvsServer server, TvsExchange.Result r) {
        try {
            return mapper.map(server, r.response());
        } catch (RuntimeException e) {
            return new Attempt<>(null, new ServerFailure(server, ExchangeFailure.INTERNAL_ERROR, String.valueOf(e)));
        }
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (ownsGroup && group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
