package org.phoneemu.tvs.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.tvs.client.ServerFailure.Reason;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.frame.TvsFrameDecoder;
import org.phoneemu.tvs.frame.TvsFrameEncoder;
import org.phoneemu.tvs.frame.TvsFrameException;

/**
 * One request to one TVS server: TCP, TLS, the server certificate judged by the phone's trust lists BEFORE any
 * byte of the request, the request, one strictly checked response, close. Completes with the response frame or a
 * {@link ServerFailure}; never exceptionally.
 */
final class TvsExchange {
    /** Either the response or why there is none. */
    record Result(TvsFrame response, ServerFailure failure) {
    }

    /** How the request is named in the console ("Authenticate Certificate", "Query Certificate"). */
    enum Kind {
        VERIFY("Authenticate Certificate", "Authentication Response"),
        QUERY("Query Certificate", "Query Response");

        final String requestLabel;
        final String responseLabel;

        Kind(String requestLabel, String responseLabel) {
            this.requestLabel = requestLabel;
            this.responseLabel = responseLabel;
        }
    }

    private TvsExchange() {
    }

    static String describe(TvsServer server, String ip) {
        return "IP:" + ip + ", port:" + server.port() + (server.isDefaultPort() ? " (default)" : "");
    }

    static CompletableFuture<Result> run(EventLoopGroup group, TvsClientOptions options, SslContext tls, TvsServer server,
            Inet4Address address, TvsFrame request, Kind kind, Predicate<X509Certificate> isTrustedTvsCertificate,
            ConsoleLog log) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        String ip = address.getHostAddress();
        String where = describe(server, ip);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), ip, server.port());
                        ssl.setHandshakeTimeoutMillis(options.handshakeTimeout().toMillis());
                        ch.pipeline().addLast("tls", ssl);
                        ch.pipeline().addLast("decoder", new TvsFrameDecoder(options.maxFrameLength()));
                        ch.pipeline().addLast("encoder", TvsFrameEncoder.INSTANCE);
                        ch.pipeline().addLast("exchange",
                                new Handler(result, server, ip, where, request, kind, isTrustedTvsCertificate, options, log));
                    }
                });
        ChannelFuture connect;
        try {
            connect = b.connect(new InetSocketAddress(address, server.port()));
        } catch (RuntimeException e) {
            result.complete(failure(server, Reason.CONNECT_FAILED, String.valueOf(e.getMessage())));
            return result;
        }
        log.notice("SECD: connectToTvsServer: Successfully started a TLS connection establishment to the TVS server: "
                + where + "; Waiting for it to get connected.");
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                Throwable c = f.cause();
                Reason reason = c instanceof ConnectTimeoutException ? Reason.CONNECT_TIMEOUT
                        : c instanceof ConnectException ? Reason.CONNECT_REFUSED : Reason.CONNECT_FAILED;
                String why = reason == Reason.CONNECT_TIMEOUT ? "no answer within " + options.connectTimeout().toMillis() + " ms"
                        : reason == Reason.CONNECT_REFUSED ? "connection refused" : String.valueOf(c.getMessage());
                log.error("SECD: EROR:connectToTvsServer: Failed to connect to the TVS server: " + where + "; " + why);
                result.complete(failure(server, reason, why));
            }
        });
        return result;
    }

    static Result failure(TvsServer server, Reason reason, String message) {
        return new Result(null, new ServerFailure(server, reason, message));
    }

    private static final class Handler extends SimpleChannelInboundHandler<TvsFrame> {
        private final CompletableFuture<Result> result;
        private final TvsServer server;
        private final String ip;
        private final String where;
        private final TvsFrame request;
        private final Kind kind;
        private final Predicate<X509Certificate> isTrusted;
        private final TvsClientOptions options;
        private final ConsoleLog log;
        private boolean handshakeDone;
        private boolean requestSent;
        private ScheduledFuture<?> readTimer;

        Handler(CompletableFuture<Result> result, TvsServer server, String ip, String where, TvsFrame request, Kind kind,
                Predicate<X509Certificate> isTrusted, TvsClientOptions options, ConsoleLog log) {
            this.result = result;
            this.server = server;
            this.ip = ip;
            this.where = where;
            this.request = request;
            this.kind = kind;
            this.isTrusted = isTrusted;
            this.options = options;
            this.log = log;
        }

        private void finish(ChannelHandlerContext ctx, Result r) {
            if (readTimer != null) {
                readTimer.cancel(false);
            }
            if (result.complete(r)) {
                ctx.close();
            }
        }

        private void fail(ChannelHandlerContext ctx, Reason reason, String message, Optional<TvsFrameException.Reason> frameError) {
            if (result.isDone()) {
                return;
            }
            finish(ctx, new Result(null, new ServerFailure(server, reason, message, frameError)));
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
            if (!e.isSuccess()) {
                if (result.isDone()) {
                    return;
                }
                String why = rootMessage(e.cause());
                log.error("SECD: EROR:connectToTvsServer: TLS handshake with the TVS server failed: " + where + "; " + why);
                fail(ctx, Reason.TLS_FAILED, why, Optional.empty());
                return;
            }
            handshakeDone = true;
            onHandshake(ctx);
        }

        private void onHandshake(ChannelHandlerContext ctx) {
            log.notice("SECD: srvr_cert_vfy: Server Certificate Validation needs to be done");
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            Optional<X509Certificate> peer = org.phoneemu.tvs.transport.ClientTls.peerCertificate(ssl.engine().getSession());
            log.notice("SECD: findByIssuerAndSerialAndRoleInTL: Searching TL from CTL file");
            log.notice("SECD: findByIssuerAndSerialAndRoleInTL: Searching TL from ITL file");
            boolean trusted;
            try {
                trusted = peer.isPresent() && isTrusted.test(peer.get());
            } catch (RuntimeException ex) {
                log.error("SECD: EROR:tvs_cert_vfy: TVS cert check failed, <" + ip + ">: " + ex);
                fail(ctx, Reason.INTERNAL_ERROR, "trust check threw " + ex, Optional.empty());
                return;
            }
            if (!trusted) {
                String subject = peer.map(c -> c.getSubjectX500Principal().getName()).orElse("no certificate");
                log.error("SECD: EROR:tvs_cert_vfy: TVS cert not found in TL, closing the connection, <" + ip + ">");
                fail(ctx, Reason.UNTRUSTED_TVS_CERTIFICATE,
                        "the server's certificate (" + subject + ") is not a TVS record of the CTL or ITL", Optional.empty());
                return;
            }
            log.notice("SECD: verifyCertWithHashFromTL: cert hash and hash in TL MATCH");
            log.notice("SECD: tvs_cert_vfy: TVS cert verified with hash from TL, <" + ip + ">");
            ctx.writeAndFlush(request).addListener((ChannelFuture w) -> {
                if (!w.isSuccess()) {
                    String why = rootMessage(w.cause());
                    log.error("SECD: EROR:sendTvsClientReqToSrvr: could not send the request to the TVS server: " + where + "; " + why);
                    fail(ctx, Reason.CONNECTION_CLOSED, "request not sent: " + why, Optional.empty());
                    return;
                }
                requestSent = true;
                log.notice("SECD: sendTvsClientReqToSrvr: " + kind.requestLabel + " : request sent to TVS server - waiting for response");
                if (!result.isDone()) {
                    readTimer = ctx.executor().schedule(() -> {
                        log.error("SECD: EROR:processTvsSrvrResponse: No response from the TVS server within "
                                + options.readTimeout().toMillis() + " ms: " + where);
                        fail(ctx, Reason.READ_TIMEOUT, "no response within " + options.readTimeout().toMillis() + " ms", Optional.empty());
                    }, options.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TvsFrame frame) {
            if (result.isDone()) {
                return;
            }
            if (!requestSent) {
                // A server speaks only when spoken to.
                log.error("SECD: EROR:processTvsSrvrResponse: Unsolicited frame from the TVS server: " + where);
                fail(ctx, Reason.WRONG_COMMAND, "unsolicited " + frame.command() + " before the request", Optional.empty());
                return;
            }
            if (frame.command() != request.command().response()) {
                log.error("SECD: EROR:processTvsSrvrResponse: Unexpected " + frame.command() + " from the TVS server: " + where);
                fail(ctx, Reason.WRONG_COMMAND, "expected " + request.command().response() + ", got " + frame.command(), Optional.empty());
                return;
            }
            if (frame.sessionId() != request.sessionId()) {
                log.error("SECD: EROR:processTvsSrvrResponse: Session id mismatch from the TVS server: " + where
                        + "; sent " + request.sessionId() + ", got " + frame.sessionId());
                fail(ctx, Reason.WRONG_SESSION_ID, "sent session " + request.sessionId() + ", got " + frame.sessionId(), Optional.empty());
                return;
            }
            if (frame.status().isEmpty()) {
                log.error("SECD: EROR:processTvsSrvrResponse: Response without status from the TVS server: " + where);
                fail(ctx, Reason.MISSING_STATUS, "the response has no STATUS element", Optional.empty());
                return;
            }
            log.notice("SECD: processTvsSrvrResponse: " + kind.responseLabel + " received, status : " + frame.status().getAsInt());
            finish(ctx, new Result(frame, null));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (result.isDone()) {
                return;
            }
            TvsFrameException frameError = cause instanceof TvsFrameException t ? t
                    : cause.getCause() instanceof TvsFrameException t2 ? t2 : null;
            if (frameError != null) {
                log.error("SECD: EROR:processTvsSrvrResponse: Malformed response from the TVS server: " + where + "; "
                        + frameError.getMessage());
                fail(ctx, Reason.MALFORMED_RESPONSE, frameError.getMessage(), Optional.of(frameError.reason()));
                return;
            }
            String why = rootMessage(cause);
            if (!handshakeDone || cause instanceof SSLException || cause.getCause() instanceof SSLException) {
                log.error("SECD: EROR:connectToTvsServer: TLS handshake with the TVS server failed: " + where + "; " + why);
                fail(ctx, Reason.TLS_FAILED, why, Optional.empty());
                return;
            }
            log.error("SECD: EROR:processTvsSrvrResponse: Connection error with the TVS server: " + where + "; " + why);
            fail(ctx, Reason.CONNECTION_CLOSED, why, Optional.empty());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!result.isDone()) {
                if (!handshakeDone) {
                    log.error("SECD: EROR:connectToTvsServer: The TVS server closed the connection during the TLS handshake: " + where);
                    fail(ctx, Reason.TLS_FAILED, "connection closed during the TLS handshake", Optional.empty());
                } else {
                    log.error("SECD: EROR:processTvsSrvrResponse: The TVS server closed the connection without answering: " + where);
                    fail(ctx, Reason.CONNECTION_CLOSED, "connection closed before a response", Optional.empty());
                }
            }
            ctx.fireChannelInactive();
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

}
