package org.phoneemu.tvs.https;

import static org.phoneemu.tls.client.TlsFailures.rootMessage;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.tls.client.ConnectFailure;
import org.phoneemu.tls.client.ExchangeFailure;
import org.phoneemu.tls.client.GatedTlsExchange;
import org.phoneemu.tls.client.ClientTls;
import org.phoneemu.tls.client.TlsConnections;
import org.phoneemu.tls.client.DeferredTrustManager;
import org.phoneemu.tls.client.Ipv4;
import org.phoneemu.tvs.client.internal.SecdDescriptors;

/**
 * The phone's HTTPS GET (directory, services, authentication URLs) with the server-certificate check of
 * docs/TRUST-RULES.md §7. Order on the wire: TCP connect, TLS handshake, then the peer certificate goes to the
 * {@link HttpsCertificateDecider}; only when it says yes is the request written. A refusal closes the connection
 * with nothing sent and gives {@link HttpsResult.Refused}.
 *
 * <p>The TLS layer accepts any server chain ({@link DeferredTrustManager}) precisely because that decision is
 * made by the decider, after the handshake and before the first application byte: the exchange is a
 * {@link GatedTlsExchange}, which writes the request only after a {@code true} from it. Futures never complete
 * exceptionally. Thread-safe.
 */
public final class PhoneHttpsClient implements AutoCloseable {
    private static final int DEFAULT_HTTPS_PORT = 443;

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final HttpsOptions options;
    private final Optional<KeyMaterial> clientCertificate;
    private final Consumer<Channel> tap;

    /** A client on the caller's event loops (not closed by {@link #close()}). */
    public PhoneHttpsClient(EventLoopGroup group, HttpsOptions options) {
        this(group, false, options, Optional.empty());
    }

    /**
     * As above; each connection passes through {@code tap} before it connects, with its pipeline complete: the TLS
     * handler named {@code tls}, then the HTTP codec (a packet capture at the head sees the TLS records, one right
     * after {@code tls} the HTTP request and response in clear).
     */
    public PhoneHttpsClient(EventLoopGroup group, HttpsOptions options, Consumer<Channel> tap) {
        this(group, false, options, Optional.empty(), tap);
    }

    /** As above, presenting {@code clientCertificate} (the phone's LSC or MIC) when a server asks for one. */
    public PhoneHttpsClient(EventLoopGroup group, HttpsOptions options, Optional<KeyMaterial> clientCertificate) {
        this(group, false, options, clientCertificate);
    }

    private PhoneHttpsClient(EventLoopGroup group, boolean ownsGroup, HttpsOptions options, Optional<KeyMaterial> clientCertificate) {
        this(group, ownsGroup, options, clientCertificate, ch -> { });
    }

    private PhoneHttpsClient(EventLoopGroup group, boolean ownsGroup, HttpsOptions options, Optional<KeyMaterial> clientCertificate,
                             Consumer<Channel> tap) {
        this.tap = Objects.requireNonNull(tap, "tap");
        this.group = Objects.requireNonNull(group, "group");
        this.ownsGroup = ownsGroup;
        this.options = Objects.requireNonNull(options, "options");
        this.clientCertificate = Objects.requireNonNull(clientCertificate, "clientCertificate");
    }

    /** A client with its own single event loop, shut down by {@link #close()}. */
    public static PhoneHttpsClient create(HttpsOptions options) {
        return new PhoneHttpsClient(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), true, options, Optional.empty());
    }

    public HttpsOptions options() {
        return options;
    }

    /** GET {@code url} ({@code https://host[:port]/path?query}); the server's certificate is judged by {@code decider}. */
    public CompletableFuture<HttpsResult> get(URI url, HttpsCertificateDecider decider, ConsoleLog log) {
        Objects.requireNonNull(decider, "decider");
        if (url.getScheme() == null || !url.getScheme().toLowerCase(Locale.ROOT).equals("https") || url.getHost() == null) {
            return CompletableFuture.completedFuture(new HttpsResult.Failed(ExchangeFailure.BAD_URL, "not an https URL with a host: " + url));
        }
        String host = url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : DEFAULT_HTTPS_PORT;
        SslContext tls;
        try {
            tls = ClientTls.context(clientCertificate);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new HttpsResult.Failed(ExchangeFailure.TLS_FAILED, "TLS setup: " + e.getMessage()));
        }
        return Ipv4.resolve(host).handle((address, error) -> {
            if (error != null) {
                String why = Ipv4.whyUnresolved(error, host);
                log.error("SECD: EROR:clpSetupSsl: Cannot resolve " + host + "; " + why);
                return CompletableFuture.<HttpsResult>completedFuture(new HttpsResult.Failed(ExchangeFailure.UNRESOLVED, why));
            }
            return connect(url, host, address, port, tls, decider, log);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<HttpsResult> connect(URI url, String host, Inet4Address address, int port, SslContext tls,
            HttpsCertificateDecider decider, ConsoleLog log) {
        CompletableFuture<HttpsResult> result = new CompletableFuture<>();
        String ip = address.getHostAddress();
        InetSocketAddress remote = new InetSocketAddress(address, port);
        log.notice("SECD: clpSetupSsl: Trying to connect to IPV4, IP: " + ip + ", Port : " + port);
        // The daemon's numbers for this connection (seed: "c:8 s:9"), held until the exchange ends.
        int c = SecdDescriptors.open(log);
        int s = SecdDescriptors.open(log);
        String fds = " c:" + c + " s:" + s;
        result.whenComplete((r, e) -> {
            SecdDescriptors.release(log, s);
            SecdDescriptors.release(log, c);
        });
        // The whole pipeline exists before the connect, as the TVS client's does, so the tap sees its TLS handler (a
        // capture can then also take the plaintext after it); the handshake starts once the channel is active.
        Bootstrap b = TlsConnections.bootstrap(group, options.connectTimeout(), options.handshakeTimeout(), tls, host, port,
                p -> p.addLast("connected", new ConnectedLines(ip, fds, log)),
                ch -> {
                    ch.pipeline().addLast("http", new HttpClientCodec());
                    ch.pipeline().addLast("aggregator", new HttpObjectAggregator(options.maxBodyBytes()));
                    ch.pipeline().addLast("exchange", new Exchange(result, url, host, port, ip, remote, decider, log));
                    tap.accept(ch);
                });
        // Logged before the connect starts, so it precedes the lines of the connected channel.
        log.notice("SECD: clpSetupSsl: TCP connect() waiting, <" + ip + ">" + fds + " port: " + port);
        b.connect(remote).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                ConnectFailure failed = ConnectFailure.of(f.cause(), options.connectTimeout());
                log.error(connectFailedLine(ip, port, failed.why()));
                result.complete(new HttpsResult.Failed(failed.reason(), failed.why()));
            }
        });
        return result;
    }

    /**
     * Logs the connected lines when the channel becomes active, just before the TLS handler behind it starts the
     * handshake, then leaves the pipeline.
     */
    private static final class ConnectedLines extends ChannelInboundHandlerAdapter {
        private final String ip;
        private final String fds;
        private final ConsoleLog log;

        ConnectedLines(String ip, String fds, ConsoleLog log) {
            this.ip = ip;
            this.fds = fds;
            this.log = log;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            log.notice("SECD: clpSetupSsl: TCP connected, <" + ip + ">" + fds);
            log.notice("SECD: clpSetupSsl: start SSL/TLS handshake, <" + ip + ">" + fds);
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
        }
    }

    private final class Exchange extends GatedTlsExchange<FullHttpResponse, HttpsResult> {
        private final URI url;
        private final String host;
        private final int port;
        private final String ip;
        private final InetSocketAddress remote;
        private final HttpsCertificateDecider decider;

        Exchange(CompletableFuture<HttpsResult> result, URI url, String host, int port, String ip, InetSocketAddress remote,
                HttpsCertificateDecider decider, ConsoleLog log) {
            super(FullHttpResponse.class, result, options.readTimeout(), log);
            this.url = url;
            this.host = host;
            this.port = port;
            this.ip = ip;
            this.remote = remote;
            this.decider = decider;
        }

        @Override
        protected CompletionStage<Boolean> allows(Optional<X509Certificate> peer) {
            if (peer.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Boolean> decision = Objects.requireNonNull(decider.allow(peer.get(), remote), "the decider returned null");
            return decision.toCompletableFuture().copy().orTimeout(options.decisionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        protected HttpsResult refused(Optional<X509Certificate> peer) {
            if (peer.isEmpty()) {
                log.error("SECD: EROR:srvr_cert_vfy: the server presented no certificate, <" + ip + ">");
                return failed(ExchangeFailure.TLS_FAILED, "no server certificate");
            }
            X509Certificate cert = peer.get();
            log.error(notTrustedLine(ip));
            return new HttpsResult.Refused(cert, "the phone does not trust "
                    + cert.getSubjectX500Principal().getName() + " presented by " + ip + ":" + port);
        }

        @Override
        protected HttpsResult expired(X509Certificate cert, String reason) {
            log.error("SECD: EROR:srvr_cert_vfy: " + reason + ", closing the connection, <" + ip + ">");
            return new HttpsResult.Refused(cert, reason + " (presented by " + ip + ":" + port + ")");
        }

        @Override
        protected HttpsResult decisionFailed(Throwable c) {
            if (c instanceof TimeoutException) {
                log.error("SECD: EROR:srvr_cert_vfy: no certificate decision within " + options.decisionTimeout().toMillis()
                        + " ms, closing the connection, <" + ip + ">");
                return failed(ExchangeFailure.DECISION_TIMEOUT, "no decision within " + options.decisionTimeout().toMillis() + " ms");
            }
            log.error("SECD: EROR:srvr_cert_vfy: certificate check failed, closing the connection, <" + ip + ">; " + c);
            return failed(ExchangeFailure.DECISION_FAILED, String.valueOf(c));
        }

        @Override
        protected Object request() {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery(url));
            request.headers().set(HttpHeaderNames.HOST, port == DEFAULT_HTTPS_PORT ? host : host + ":" + port);
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            request.headers().set(HttpHeaderNames.ACCEPT, "*/*");
            return request;
        }

        @Override
        protected HttpsResult unsolicited(FullHttpResponse response) {
            return failed(ExchangeFailure.BAD_RESPONSE, "the server spoke before the request");
        }

        @Override
        protected HttpsResult response(FullHttpResponse response) {
            if (!response.decoderResult().isSuccess()) {
                return failed(ExchangeFailure.BAD_RESPONSE, rootMessage(response.decoderResult().cause()));
            }
            String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
            return new HttpsResult.Ok(response.status().code(), type, ByteBufUtil.getBytes(response.content()));
        }

        @Override
        protected Optional<HttpsResult> protocolError(Throwable cause) {
            if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
                log.error("SECD: EROR:clpSetupSsl: response larger than " + options.maxBodyBytes() + " bytes, <" + ip + ">");
                return Optional.of(failed(ExchangeFailure.BODY_TOO_LARGE, "response body over " + options.maxBodyBytes() + " bytes"));
            }
            return Optional.empty();
        }

        @Override
        protected HttpsResult failed(ExchangeFailure reason, String message) {
            return new HttpsResult.Failed(reason, message);
        }

        @Override
        protected void logHandshakeFailed(String why) {
            log.error("SECD: EROR:clpSetupSsl: SSL/TLS handshake failed, <" + ip + ">; " + why);
        }

        @Override
        protected void logConnectionError(String why) {
            log.error("SECD: EROR:clpSetupSsl: connection error, <" + ip + ">; " + why);
        }

        @Override
        protected void logSendFailed(String why) {
            log.error("SECD: EROR:clpSetupSsl: could not send the request, <" + ip + ">; " + why);
        }

        @Override
        protected void logReadTimeout(long millis) {
            log.error("SECD: EROR:clpSetupSsl: no response within " + millis + " ms, <" + ip + ">");
        }

        @Override
        protected String closed(Stage stage) {
            String when = switch (stage) {
                case HANDSHAKE -> "during the TLS handshake";
                case DECISION -> "before the request";
                case RESPONSE -> "before a response";
            };
            log.error("SECD: EROR:clpSetupSsl: the server closed the connection " + when + ", <" + ip + ">");
            return "connection closed " + when;
        }
    }

    /** The phone's line when the TCP connection to an HTTPS server fails. */
    public static String connectFailedLine(String ip, int port, String why) {
        return "SECD: EROR:clpSetupSsl: TCP connect failed, <" + ip + "> port: " + port + "; " + why;
    }

    /** The phone's line when it refuses an HTTPS server's certificate: nothing was sent, the connection closes. */
    public static String notTrustedLine(String ip) {
        return "SECD: EROR:srvr_cert_vfy: Server certificate not trusted, closing the connection, <" + ip + ">";
    }

    static String pathAndQuery(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    @Override
    public void close() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
