package org.phoneemu.tvs.client;

import org.phoneemu.tls.client.TlsConnections;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.frame.TvsFrameDecoder;
import org.phoneemu.tvs.frame.TvsFrameEncoder;
import org.phoneemu.tvs.frame.TvsFrameException;
import org.phoneemu.tls.client.ConnectFailure;
import org.phoneemu.tls.client.ExchangeFailure;
import org.phoneemu.tls.client.GatedTlsExchange;
import org.phoneemu.tls.client.TrustGate;

/**
 * One request to one TVS server: TCP, TLS, the server certificate judged by the phone's trust lists BEFORE any
 * byte of the request (a {@link GatedTlsExchange}), the request, one strictly checked response, close. Completes
 * with the response frame or a {@link ServerFailure}; never exceptionally.
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
        return server.describeAt(ip);
    }

    static CompletableFuture<Result> run(EventLoopGroup group, TvsClientOptions options, SslContext tls, TvsServer server,
            Inet4Address address, TvsFrame request, Kind kind, Predicate<X509Certificate> isTrustedTvsCertificate,
            ConsoleLog log, java.util.function.Consumer<io.netty.channel.Channel> tap) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        String ip = address.getHostAddress();
        String where = describe(server, ip);
        Bootstrap b = TlsConnections.bootstrap(group, options.connectTimeout(), options.handshakeTimeout(), tls, ip, server.port(),
                p -> { },
                ch -> {
                    ch.pipeline().addLast("decoder", new TvsFrameDecoder(options.maxFrameLength()));
                    ch.pipeline().addLast("encoder", TvsFrameEncoder.INSTANCE);
                    ch.pipeline().addLast("exchange",
                            new Handler(result, server, ip, where, request, kind, isTrustedTvsCertificate, options, log));
                    tap.accept(ch);
                });
        ChannelFuture connect;
        try {
            connect = b.connect(new InetSocketAddress(address, server.port()));
        } catch (RuntimeException e) {
            result.complete(failure(server, ExchangeFailure.CONNECT_FAILED, String.valueOf(e.getMessage())));
            return result;
        }
        connecting(log, where);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                ConnectFailure failed = ConnectFailure.of(f.cause(), options.connectTimeout());
                result.complete(connectFailed(log, server, where, failed.reason(), failed.why()));
            }
        });
        return result;
    }

    private static void connecting(ConsoleLog log, String where) {
        log.notice("SECD: connectToTvsServer: Successfully started a TLS connection establishment to the TVS server: "
                + where + "; Waiting for it to get connected.");
    }

    private static Result connectFailed(ConsoleLog log, TvsServer server, String where, ExchangeFailure reason, String why) {
        log.error("SECD: EROR:connectToTvsServer: Failed to connect to the TVS server: " + where + "; " + why);
        return failure(server, reason, why);
    }

    /**
     * The same exchange with a server answering in process ({@link TvsPeers.Peer}): the steps of a
     * {@link GatedTlsExchange} in its order (connect, the certificate to the trust decision, the request only after a
     * yes, the response checked) through this exchange's own handler, so the decisions and console lines are the
     * network exchange's. TCP and TLS are left out.
     */
    static CompletableFuture<Result> inProcess(TvsClientOptions options, TvsServer server, Inet4Address address,
            Optional<TvsPeers.Peer> peer, TvsFrame request, Kind kind, Predicate<X509Certificate> isTrustedTvsCertificate,
            ConsoleLog log) {
        String ip = address.getHostAddress();
        String where = describe(server, ip);
        connecting(log, where);
        if (peer.isEmpty()) {
            return CompletableFuture.completedFuture(connectFailed(log, server, where, ConnectFailure.REFUSED.reason(), ConnectFailure.REFUSED.why()));
        }
        Handler h = new Handler(new CompletableFuture<>(), server, ip, where, request, kind, isTrustedTvsCertificate, options, log);
        log.notice(GatedTlsExchange.VALIDATION_NEEDED);
        Optional<X509Certificate> presented = Optional.of(peer.get().certificate());
        CompletableFuture<Boolean> asked;
        try {
            asked = h.allows(presented).toCompletableFuture();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Boolean> decision = asked;
        return decision.handle((allowed, error) -> null).thenApply(x -> {
            Optional<Result> notSent = h.untrusted(TrustGate.verdict(presented, decision, log.clock()));
            if (notSent.isPresent()) {
                return notSent.get();
            }
            TvsFrame sent = (TvsFrame) h.request();
            h.requestWritten();
            TvsFrame answer;
            try {
                answer = peer.get().answer(sent);
            } catch (RuntimeException e) {
                // A server that cannot answer hangs up.
                return failure(server, ExchangeFailure.CONNECTION_CLOSED, h.closed(GatedTlsExchange.Stage.RESPONSE));
            }
            return h.response(answer);
        });
    }

    static Result failure(TvsServer server, ExchangeFailure reason, String message) {
        return new Result(null, new ServerFailure(server, reason, message));
    }

    private static final class Handler extends GatedTlsExchange<TvsFrame, Result> {
        private final TvsServer server;
        private final String ip;
        private final String where;
        private final TvsFrame request;
        private final Kind kind;
        private final Predicate<X509Certificate> isTrusted;

        Handler(CompletableFuture<Result> result, TvsServer server, String ip, String where, TvsFrame request, Kind kind,
                Predicate<X509Certificate> isTrusted, TvsClientOptions options, ConsoleLog log) {
            super(TvsFrame.class, result, options.readTimeout(), log);
            this.server = server;
            this.ip = ip;
            this.where = where;
            this.request = request;
            this.kind = kind;
            this.isTrusted = isTrusted;
        }

        @Override
        protected CompletionStage<Boolean> allows(Optional<X509Certificate> peer) {
            log.notice("SECD: findByIssuerAndSerialAndRoleInTL: Searching TL from CTL file");
            log.notice("SECD: findByIssuerAndSerialAndRoleInTL: Searching TL from ITL file");
            return CompletableFuture.completedFuture(peer.isPresent() && isTrusted.test(peer.get()));
        }

        @Override
        protected Result refused(Optional<X509Certificate> peer) {
            String subject = peer.map(c -> c.getSubjectX500Principal().getName()).orElse("no certificate");
            log.error("SECD: EROR:tvs_cert_vfy: TVS cert not found in TL, closing the connection, <" + ip + ">");
            return failed(ExchangeFailure.UNTRUSTED_TVS_CERTIFICATE,
                    "the server's certificate (" + subject + ") is not a TVS record of the CTL or ITL");
        }

        @Override
        protected Result expired(X509Certificate peer, String reason) {
            log.error("SECD: EROR:tvs_cert_vfy: " + reason + ", closing the connection, <" + ip + ">");
            return failed(ExchangeFailure.UNTRUSTED_TVS_CERTIFICATE, reason);
        }

        @Override
        protected Result decisionFailed(Throwable ex) {
            log.error("SECD: EROR:tvs_cert_vfy: TVS cert check failed, <" + ip + ">: " + ex);
            return failed(ExchangeFailure.INTERNAL_ERROR, "trust check threw " + ex);
        }

        @Override
        protected Object request() {
            log.notice("SECD: verifyCertWithHashFromTL: cert hash and hash in TL MATCH");
            log.notice("SECD: tvs_cert_vfy: TVS cert verified with hash from TL, <" + ip + ">");
            return request;
        }

        @Override
        protected void requestWritten() {
            log.notice("SECD: sendTvsClientReqToSrvr: " + kind.requestLabel + " : request sent to TVS server - waiting for response");
        }

        @Override
        protected Result unsolicited(TvsFrame frame) {
            log.error("SECD: EROR:processTvsSrvrResponse: Unsolicited frame from the TVS server: " + where);
            return failed(ExchangeFailure.WRONG_COMMAND, "unsolicited " + frame.command() + " before the request");
        }

        @Override
        protected Result response(TvsFrame frame) {
            if (frame.command() != request.command().response()) {
                log.error("SECD: EROR:processTvsSrvrResponse: Unexpected " + frame.command() + " from the TVS server: " + where);
                return failed(ExchangeFailure.WRONG_COMMAND, "expected " + request.command().response() + ", got " + frame.command());
            }
            if (frame.sessionId() != request.sessionId()) {
                log.error("SECD: EROR:processTvsSrvrResponse: Session id mismatch from the TVS server: " + where
                        + "; sent " + request.sessionId() + ", got " + frame.sessionId());
                return failed(ExchangeFailure.WRONG_SESSION_ID, "sent session " + request.sessionId() + ", got " + frame.sessionId());
            }
            if (frame.status().isEmpty()) {
                log.error("SECD: EROR:processTvsSrvrResponse: Response without status from the TVS server: " + where);
                return failed(ExchangeFailure.MISSING_STATUS, "the response has no STATUS element");
            }
            log.notice("SECD: processTvsSrvrResponse: " + kind.responseLabel + " received, status : " + frame.status().getAsInt());
            return new Result(frame, null);
        }

        @Override
        protected Optional<Result> protocolError(Throwable cause) {
            TvsFrameException frameError = cause instanceof TvsFrameException t ? t
                    : cause.getCause() instanceof TvsFrameException t2 ? t2 : null;
            if (frameError == null) {
                return Optional.empty();
            }
            log.error("SECD: EROR:processTvsSrvrResponse: Malformed response from the TVS server: " + where + "; "
                    + frameError.getMessage());
            return Optional.of(new Result(null, new ServerFailure(server, ExchangeFailure.MALFORMED_RESPONSE,
                    frameError.getMessage(), Optional.of(frameError.reason()))));
        }

        @Override
        protected Result failed(ExchangeFailure reason, String message) {
            return failure(server, reason, message);
        }

        @Override
        protected void logHandshakeFailed(String why) {
            log.error("SECD: EROR:connectToTvsServer: TLS handshake with the TVS server failed: " + where + "; " + why);
        }

        @Override
        protected void logConnectionError(String why) {
            log.error("SECD: EROR:processTvsSrvrResponse: Connection error with the TVS server: " + where + "; " + why);
        }

        @Override
        protected void logSendFailed(String why) {
            log.error("SECD: EROR:sendTvsClientReqToSrvr: could not send the request to the TVS server: " + where + "; " + why);
        }

        @Override
        protected void logReadTimeout(long millis) {
            log.error("SECD: EROR:processTvsSrvrResponse: No response from the TVS server within " + millis + " ms: " + where);
        }

        @Override
        protected String closed(Stage stage) {
            if (stage == Stage.HANDSHAKE) {
                log.error("SECD: EROR:connectToTvsServer: The TVS server closed the connection during the TLS handshake: " + where);
                return "connection closed during the TLS handshake";
            }
            log.error("SECD: EROR:processTvsSrvrResponse: The TVS server closed the connection without answering: " + where);
            return "connection closed before a response";
        }
    }
}
