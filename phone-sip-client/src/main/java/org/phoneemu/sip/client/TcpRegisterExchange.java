package org.phoneemu.sip.client;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome.AttemptFailure;
import org.phoneemu.sip.codec.SipCodecException;
import org.phoneemu.sip.codec.SipMessage;
import org.phoneemu.tls.client.TlsFailures;

/** One REGISTER over plain TCP (a non-secure device): written once connected, one final answer, close. */
final class TcpRegisterExchange extends SimpleChannelInboundHandler<SipMessage.Response> {
    private final CompletableFuture<Attempt> result;
    private final SipClientOptions options;
    private final ConsoleLog log;
    private final CallManagerTarget target;
    private final CiscoRegister.Dialog dialog;
    /** The request this exchange sends: REGISTER, or REFER for an alarm after a registration. */
    private final String method;
    private final Function<InetSocketAddress, SipMessage.Request> register;
    /** Whether an answered REGISTER leaves the connection open for the client to keep (a registration's connection). */
    private final boolean keep;
    private boolean sent;
    private ScheduledFuture<?> timer;

    TcpRegisterExchange(CompletableFuture<Attempt> result, SipClientOptions options, ConsoleLog log, CallManagerTarget target,
                        CiscoRegister.Dialog dialog, String method, Function<InetSocketAddress, SipMessage.Request> register,
                        boolean keep) {
        super(SipMessage.Response.class);
        this.keep = keep;
        this.result = result;
        this.options = options;
        this.log = log;
        this.target = target;
        this.dialog = dialog;
        this.method = method;
        this.register = register;
    }

    private void finish(ChannelHandlerContext ctx, Attempt a) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (result.complete(a) && !(a instanceof Attempt.Answered answered && answered.open().isPresent())) {
            ctx.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        sent = true;
        ctx.writeAndFlush(register.apply((InetSocketAddress) ctx.channel().localAddress())).addListener((ChannelFuture w) -> {
            if (!w.isSuccess()) {
                String why = TlsFailures.rootMessage(w.cause());
                log.error(SipConsole.connectionError(target, method + " not sent: " + why));
                finish(ctx, new Attempt.Failed(AttemptFailure.CONNECTION_CLOSED, why));
                return;
            }
            log.notice(SipConsole.sent(target, method));
            long ms = options.responseTimeout().toMillis();
            if (!result.isDone()) {
                timer = ctx.executor().schedule(() -> {
                    log.error(SipConsole.noAnswer(target, ms));
                    finish(ctx, new Attempt.Failed(AttemptFailure.NO_RESPONSE, "no answer within " + ms + " ms"));
                }, ms, TimeUnit.MILLISECONDS);
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipMessage.Response message) {
        if (result.isDone()) {
            return;
        }
        Optional<String> wrong = RegisterAnswer.mismatch(message, DigestChallengeHandler.dialogOf(ctx.pipeline(), dialog), method);
        if (wrong.isPresent()) {
            log.error(SipConsole.badAnswer(target, wrong.get()));
            finish(ctx, new Attempt.Failed(AttemptFailure.MALFORMED_RESPONSE, wrong.get()));
            return;
        }
        finish(ctx, new Attempt.Answered(message, Optional.empty(), DigestChallengeHandler.stepOf(ctx.pipeline()),
                keep ? Optional.of(ctx.channel()) : Optional.empty()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (result.isDone()) {
            return;
        }
        String why = cause instanceof SipCodecException ? cause.getMessage() : TlsFailures.rootMessage(cause);
        if (cause instanceof SipCodecException) {
            log.error(SipConsole.badAnswer(target, why));
            finish(ctx, new Attempt.Failed(AttemptFailure.MALFORMED_RESPONSE, why));
        } else {
            log.error(SipConsole.connectionError(target, why));
            finish(ctx, new Attempt.Failed(AttemptFailure.CONNECTION_CLOSED, why));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!result.isDone()) {
            String m = sent ? "CallManager closed the connection without answering the REGISTER" : "connection closed";
            log.error(SipConsole.connectionError(target, m));
            finish(ctx, new Attempt.Failed(AttemptFailure.CONNECTION_CLOSED, m));
        }
        ctx.fireChannelInactive();
    }
}
