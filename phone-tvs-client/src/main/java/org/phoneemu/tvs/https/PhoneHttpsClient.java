package org.phoneemu.tvs.https;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
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
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.tvs.https.HttpsResult.Reason;
import org.phoneemu.tvs.transport.ClientTls;
import org.phoneemu.tvs.transport.DeferredTrustManager;
import org.phoneemu.tvs.transport.Ipv4;

/**
 * The phone's HTTPS GET (directory, services, authentication URLs) with the server-certificate check of
 * docs/TRUST-RULES.md §7. Order on the wire: TCP connect, TLS handshake, then the peer certificate goes to the
 * {@link HttpsCertificateDecider}; only when it says yes is the request written. A refusal closes the connection
 * with nothing sent and gives {@link HttpsResult.Refused}.
 *
 * <p>The TLS layer accepts any server chain ({@link DeferredTrustManager}) precisely because that decision is
 * made by the decider, after the handshake and before the first application byte; there is no path that writes
 * the request without a {@code true} from it. Futures never complete exceptionally. Thread-safe.
 */
public final class PhoneHttpsClient implements AutoCloseable {
    private static final int DEFAULT_HTTPS_PORT = 443;

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final HttpsOptions options;
    private final Optional<KeyMaterial> clientCertificate;

    /** A client on the caller's event loops (not closed by {@link #close()}). */
    public PhoneHttpsClient(EventLoopGroup group, HttpsOptions options) {
        this(group, false, options, Optional.empty());
    }

    /** As above, presenting {@code clientCertificate} (the phone's LSC or MIC) when a server asks for one. */
    public PhoneHttpsClient(EventLoopGroup group, HttpsOptions options, Optional<KeyMaterial> clientCertificate) {
        this(group, false, options, clientCertificate);
    }

    private PhoneHttpsClient(EventLoopGroup group, boolean ownsGroup, HttpsOptions options, Optional<KeyMaterial> clientCertificate) {
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
            return CompletableFuture.completedFuture(new HttpsResult.Failed(Reason.BAD_URL, "not an https URL with a host: " + url));
        }
        String host = url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : DEFAULT_HTTPS_PORT;
        SslContext tls;
        try {
            tls = ClientTls.context(clientCertificate);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new HttpsResult.Failed(Reason.TLS_FAILED, "TLS setup: " + e.getMessage()));
        }
        return Ipv4.resolve(host).handle((address, error) -> {
            if (error != null) {
                Throwable c = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                String why = c instanceof UnknownHostException ? "no IPv4 address for " + host : String.valueOf(c.getMessage());
                log.error("SECD: EROR:clpSetupSsl: Cannot resolve " + host + "; " + why);
                return CompletableFuture.<HttpsResult>completedFuture(new HttpsResult.Failed(Reason.UNRESOLVED, why));
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
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInboundHandlerAdapter());
        b.connect(remote).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                Throwable c = f.cause();
                Reason reason = c instanceof ConnectTimeoutException ? Reason.CONNECT_TIMEOUT
                        : c instanceof ConnectException ? Reason.CONNECT_REFUSED : Reason.CONNECT_FAILED;
                String why = reason == Reason.CONNECT_REFUSED ? "connection refused" : String.valueOf(c.getMessage());
                log.error("SECD: EROR:clpSetupSsl: TCP connect failed, <" + ip + "> port: " + port + "; " + why);
                result.complete(new HttpsResult.Failed(reason, why));
                return;
            }
            log.notice("SECD: clpSetupSsl: TCP connected, <" + ip + ">");
            log.notice("SECD: clpSetupSsl: start SSL/TLS handshake, <" + ip + ">");
            // Added only now, on an active channel, so the handshake starts after the lines above.
            SslHandler ssl = tls.newHandler(f.channel().alloc(), host, port);
            ssl.setHandshakeTimeoutMillis(options.handshakeTimeout().toMillis());
            f.channel().pipeline().addLast("http", new HttpClientCodec());
            f.channel().pipeline().addLast("aggregator", new HttpObjectAggregator(options.maxBodyBytes()));
            f.channel().pipeline().addLast("exchange", new Exchange(result, url, host, port, ip, remote, decider, log));
            f.channel().pipeline().addFirst("tls", ssl);
        });
        return result;
    }

    private final class Exchange extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<HttpsResult> result;
        private final URI url;
        private final String host;
        private final int port;
        private final String ip;
        private final InetSocketAddress remote;
        private final HttpsCertificateDecider decider;
        private final ConsoleLog log;
        private boolean handshakeDone;
        private boolean requestSent;
        private ScheduledFuture<?> timer;

        Exchange(CompletableFuture<HttpsResult> result, URI url, String host, int port, String ip, InetSocketAddress remote,
                HttpsCertificateDecider decider, ConsoleLog log) {
            this.result = result;
            this.url = url;
            this.host = host;
            this.port = port;
            this.ip = ip;
            this.remote = remote;
            this.decider = decider;
            this.log = log;
        }

        private void finish(ChannelHandlerContext ctx, HttpsResult r) {
            if (timer != null) {
                timer.cancel(false);
            }
            if (result.complete(r)) {
                ctx.close();
            }
        }

        private void fail(ChannelHandlerContext ctx, Reason reason, String message) {
            if (!result.isDone()) {
                finish(ctx, new HttpsResult.Failed(reason, message));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslCloseCompletionEvent) {
                // The peer's close_notify ends the stream even when it keeps the TCP connection open (openssl
                // s_server does, and TLS 1.3 allows the half-close): close, so a body delimited by the end of the
                // stream is complete and a missing answer is noticed now rather than at the read timeout.
                ctx.close();
                return;
            }
            if (!(evt instanceof SslHandshakeCompletionEvent e)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            if (result.isDone()) {
                return;
            }
            if (!e.isSuccess()) {
                String why = rootMessage(e.cause());
                log.error("SECD: EROR:clpSetupSsl: SSL/TLS handshake failed, <" + ip + ">; " + why);
                fail(ctx, Reason.TLS_FAILED, why);
                return;
            }
            handshakeDone = true;
            log.notice("SECD: srvr_cert_vfy: Server Certificate Validation needs to be done");
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            Optional<X509Certificate> peer = ClientTls.peerCertificate(ssl.engine().getSession());
            if (peer.isEmpty()) {
                log.error("SECD: EROR:srvr_cert_vfy: the server presented no certificate, <" + ip + ">");
                fail(ctx, Reason.TLS_FAILED, "no server certificate");
                return;
            }
            CompletableFuture<Boolean> decision;
            try {
                decision = Objects.requireNonNull(decider.allow(peer.get(), remote), "the decider returned null");
            } catch (RuntimeException ex) {
                decision = CompletableFuture.failedFuture(ex);
            }
            long timeout = options.decisionTimeout().toMillis();
            decision.toCompletableFuture().copy().orTimeout(timeout, TimeUnit.MILLISECONDS)
                    .whenComplete((allowed, error) -> ctx.executor().execute(() -> decided(ctx, peer.get(), allowed, error)));
        }

        private void decided(ChannelHandlerContext ctx, X509Certificate cert, Boolean allowed, Throwable error) {
            if (result.isDone()) {
                return; // the server hung up or something failed while the phone was deciding
            }
            if (error != null) {
                Throwable c = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (c instanceof TimeoutException) {
                    log.error("SECD: EROR:srvr_cert_vfy: no certificate decision within " + options.decisionTimeout().toMillis()
                            + " ms, closing the connection, <" + ip + ">");
                    fail(ctx, Reason.DECISION_TIMEOUT, "no decision within " + options.decisionTimeout().toMillis() + " ms");
                } else {
                    log.error("SECD: EROR:srvr_cert_vfy: certificate check failed, closing the connection, <" + ip + ">; " + c);
                    fail(ctx, Reason.DECISION_FAILED, String.valueOf(c));
                }
                return;
            }
            if (!Boolean.TRUE.equals(allowed)) {
                log.error("SECD: EROR:srvr_cert_vfy: Server certificate not trusted, closing the connection, <" + ip + ">");
                finish(ctx, new HttpsResult.Refused(cert, "the phone does not trust "
                        + cert.getSubjectX500Principal().getName() + " presented by " + ip + ":" + port));
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery(url));
            request.headers().set(HttpHeaderNames.HOST, port == DEFAULT_HTTPS_PORT ? host : host + ":" + port);
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            request.headers().set(HttpHeaderNames.ACCEPT, "*/*");
            requestSent = true;
            ctx.writeAndFlush(request).addListener((ChannelFuture w) -> {
                if (!w.isSuccess()) {
                    String why = rootMessage(w.cause());
                    log.error("SECD: EROR:clpSetupSsl: could not send the request, <" + ip + ">; " + why);
                    fail(ctx, Reason.CONNECTION_CLOSED, "request not sent: " + why);
                    return;
                }
                if (!result.isDone()) {
                    timer = ctx.executor().schedule(() -> {
                        log.error("SECD: EROR:clpSetupSsl: no response within " + options.readTimeout().toMillis() + " ms, <" + ip + ">");
                        fail(ctx, Reason.READ_TIMEOUT, "no response within " + options.readTimeout().toMillis() + " ms");
                    }, options.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (result.isDone()) {
                return;
            }
            if (!requestSent) {
                fail(ctx, Reason.BAD_RESPONSE, "the server spoke before the request");
                return;
            }
            if (!response.decoderResult().isSuccess()) {
                fail(ctx, Reason.BAD_RESPONSE, rootMessage(response.decoderResult().cause()));
                return;
            }
            String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
            finish(ctx, new HttpsResult.Ok(response.status().code(), type, ByteBufUtil.getBytes(response.content())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (result.isDone()) {
                return;
            }
            if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
                log.error("SECD: EROR:clpSetupSsl: response larger than " + options.maxBodyBytes() + " bytes, <" + ip + ">");
                fail(ctx, Reason.BODY_TOO_LARGE, "response body over " + options.maxBodyBytes() + " bytes");
                return;
            }
            String why = rootMessage(cause);
            if (!handshakeDone || cause instanceof SSLException || cause.getCause() instanceof SSLException) {
                log.error("SECD: EROR:clpSetupSsl: SSL/TLS handshake failed, <" + ip + ">; " + why);
                fail(ctx, Reason.TLS_FAILED, why);
                return;
            }
            log.error("SECD: EROR:clpSetupSsl: connection error, <" + ip + ">; " + why);
            fail(ctx, Reason.CONNECTION_CLOSED, why);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!result.isDone()) {
                String when = !handshakeDone ? "during the TLS handshake" : requestSent ? "before a response" : "before the request";
                log.error("SECD: EROR:clpSetupSsl: the server closed the connection " + when + ", <" + ip + ">");
                fail(ctx, handshakeDone ? Reason.CONNECTION_CLOSED : Reason.TLS_FAILED, "connection closed " + when);
            }
            super.channelInactive(ctx);
        }
    }

    static String pathAndQuery(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void close() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
