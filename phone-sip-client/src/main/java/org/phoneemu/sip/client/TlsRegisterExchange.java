package org.phoneemu.sip.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome.AttemptFailure;
import org.phoneemu.core.sip.SipTlsOffer;
import org.phoneemu.sip.codec.SipCodecException;
import org.phoneemu.sip.codec.SipMessage;
import org.phoneemu.tls.client.ExchangeFailure;
import org.phoneemu.tls.client.GatedTlsExchange;
import org.phoneemu.tls.client.TlsFailures;

/**
 * One REGISTER over TLS as a {@link GatedTlsExchange}: CallManager's certificate goes to the phone's SIP peer rule
 * right after the handshake, and the REGISTER (device name, MAC, model) is built and written only when it allows.
 */
final class TlsRegisterExchange extends GatedTlsExchange<SipMessage.Response, Attempt> {
    private final CallManagerTarget target;
    private final Predicate<X509Certificate> trustedCallManager;
    private final Function<InetSocketAddress, SipMessage.Request> register;
    private final CiscoRegister.Dialog dialog;
    /** The request this exchange sends: REGISTER, or REFER for an alarm after a registration. */
    private final String method;
    /** Whether an answered REGISTER leaves the connection open for the client to keep (a registration's connection). */
    private final boolean keep;
    private ChannelHandlerContext ctx;

    TlsRegisterExchange(CompletableFuture<Attempt> result, SipClientOptions options, ConsoleLog log, CallManagerTarget target,
                        Predicate<X509Certificate> trustedCallManager, CiscoRegister.Dialog dialog, String method,
                        Function<InetSocketAddress, SipMessage.Request> register, boolean keep) {
        super(SipMessage.Response.class, result, options.responseTimeout(), log);
        this.keep = keep;
        this.target = target;
        this.trustedCallManager = trustedCallManager;
        this.dialog = dialog;
        this.method = method;
        this.register = register;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected CompletionStage<Boolean> allows(Optional<X509Certificate> serverCertificate) {
        return CompletableFuture.completedFuture(serverCertificate.map(trustedCallManager::test).orElse(false));
    }

    @Override
    protected Attempt refused(Optional<X509Certificate> serverCertificate) {
        String who = serverCertificate.map(c -> c.getSubjectX500Principal().getName()).orElse("(no certificate)");
        log.error(SipConsole.untrusted(target, who));
        return new Attempt.Failed(AttemptFailure.UNTRUSTED_CERTIFICATE, who);
    }

    @Override
    protected Attempt expired(X509Certificate serverCertificate, String reason) {
        log.error(SipConsole.expired(target, reason));
        return new Attempt.Failed(AttemptFailure.EXPIRED_CERTIFICATE, reason);
    }

    @Override
    protected Attempt decisionFailed(Throwable cause) {
        log.error(SipConsole.untrusted(target, "decision failed: " + TlsFailures.rootMessage(cause)));
        return new Attempt.Failed(AttemptFailure.UNTRUSTED_CERTIFICATE, "decision failed: " + TlsFailures.rootMessage(cause));
    }

    @Override
    protected Object request() {
        return register.apply((InetSocketAddress) ctx.channel().localAddress());
    }

    @Override
    protected void requestWritten() {
        log.notice(SipConsole.sent(target, method));
    }

    @Override
    protected Attempt response(SipMessage.Response message) {
        Optional<String> wrong = RegisterAnswer.mismatch(message, DigestChallengeHandler.dialogOf(ctx.pipeline(), dialog), method);
        if (wrong.isPresent()) {
            log.error(SipConsole.badAnswer(target, wrong.get()));
            return new Attempt.Failed(AttemptFailure.MALFORMED_RESPONSE, wrong.get());
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return new Attempt.Answered(message, Optional.ofNullable(ssl).map(s -> SipTlsOffer.ianaName(s.engine().getSession().getCipherSuite())),
                DigestChallengeHandler.stepOf(ctx.pipeline()), keep ? Optional.of(ctx.channel()) : Optional.empty());
    }

    @Override
    protected boolean keepsOpen(Attempt a) {
        return a instanceof Attempt.Answered answered && answered.open().isPresent();
    }

    @Override
    protected Attempt unsolicited(SipMessage.Response message) {
        log.error(SipConsole.badAnswer(target, "CallManager answered before the REGISTER was sent"));
        return new Attempt.Failed(AttemptFailure.MALFORMED_RESPONSE, "a response before the request");
    }

    @Override
    protected Optional<Attempt> protocolError(Throwable cause) {
        if (cause instanceof SipCodecException e) {
            log.error(SipConsole.badAnswer(target, e.getMessage()));
            return Optional.of(new Attempt.Failed(AttemptFailure.MALFORMED_RESPONSE, e.getMessage()));
        }
        return Optional.empty();
    }

    @Override
    protected Attempt failed(ExchangeFailure reason, String message) {
        return new Attempt.Failed(switch (reason) {
            case TLS_FAILED -> AttemptFailure.TLS_FAILED;
            case READ_TIMEOUT -> AttemptFailure.NO_RESPONSE;
            case CONNECTION_CLOSED -> AttemptFailure.CONNECTION_CLOSED;
            default -> AttemptFailure.CONNECT_FAILED;
        }, message);
    }

    @Override
    protected void logHandshakeFailed(String why) {
        log.error(SipConsole.tlsFailed(target, why));
    }

    @Override
    protected void logConnectionError(String why) {
        log.error(SipConsole.connectionError(target, why));
    }

    @Override
    protected void logSendFailed(String why) {
        log.error(SipConsole.connectionError(target, method + " not sent: " + why));
    }

    @Override
    protected void logReadTimeout(long millis) {
        log.error(SipConsole.noAnswer(target, millis));
    }

    @Override
    protected String closed(Stage stage) {
        String m = "CallManager closed the connection " + switch (stage) {
            case HANDSHAKE -> "during the TLS handshake";
            case DECISION -> "before the REGISTER was sent";
            case RESPONSE -> "without answering the REGISTER";
        };
        log.error(SipConsole.connectionError(target, m));
        return m;
    }
}
