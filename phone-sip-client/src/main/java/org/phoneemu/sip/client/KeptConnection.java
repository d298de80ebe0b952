package org.phoneemu.sip.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.RegistrationOutcome.AttemptFailure;
import org.phoneemu.core.sip.SipTlsOffer;
import org.phoneemu.sip.codec.SipCodecException;
import org.phoneemu.sip.codec.SipMessage;
import org.phoneemu.tls.client.TlsFailures;

/**
 * A connection to one CallManager that the phone keeps open after a REGISTER was answered on it (docs/SIP.md §3): the
 * next REGISTER of the same registration (same Call-ID and From tag, next CSeq) is written on it, one at a time. A
 * connection the server closed is noticed at once and dropped from {@link KeptConnections}; the next REGISTER then
 * opens a new one. A connection that ends while idle for any reason but the phone's own ({@link #close}, a request's
 * failure) is reported to {@code lost}, the phone's cue to fail over at once (docs/SIP.md §3). Requests CallManager
 * sends on it are not answered (the phone models no calls).
 */
final class KeptConnection extends SimpleChannelInboundHandler<SipMessage.Response> {
    private final Channel channel;
    private final CallManagerTarget target;
    private final String contactUser;
    private final Runnable onClosed;
    private final Consumer<CallManagerTarget> lost;
    private final Terms terms;
    /** The phone closed it itself (a boot, a replacement, a failed request): its end is no loss to report. */
    private volatile boolean closedByPhone;
    /** The last request's ids, for the next one's CSeq; event loop only after construction. */
    private volatile CiscoRegister.Dialog last;
    private volatile ConsoleLog log;
    private CompletableFuture<Attempt> pending;
    private CiscoRegister.Dialog pendingDialog;
    private String pendingMethod;
    private ScheduledFuture<?> timer;
    /** The Call-ID of the last request (not a REGISTER) left unanswered: its late answer is dropped. Event loop only. */
    private String abandonedCallId;

    KeptConnection(Channel channel, CallManagerTarget target, String contactUser, CiscoRegister.Dialog last, ConsoleLog log,
                   Terms terms, Runnable onClosed, Consumer<CallManagerTarget> lost) {
        super(SipMessage.Response.class);
        this.lost = Objects.requireNonNull(lost, "lost");
        this.channel = channel;
        this.terms = Objects.requireNonNull(terms, "terms");
        this.target = target;
        this.contactUser = contactUser;
        this.last = last;
        this.log = log;
        this.onClosed = onClosed;
    }

    /**
     * What a connection was opened with: the device security mode (which chose the TLS profile, NULL-SHA or encrypting
     * suites) and the client certificate presented. A request on other terms must not ride on it.
     */
    record Terms(DeviceSecurityMode mode, Optional<X509Certificate> clientCertificate) {
        Terms {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(clientCertificate, "clientCertificate");
        }
    }

    /**
     * Why a request on {@code now} terms, judging CallManager's certificate by {@code trusted}, must not be sent on this
     * connection; empty when it may. Over TLS the certificate judged is the one of the connection's <em>current</em>
     * session, so a renegotiation's new certificate is judged as well (docs/SIP.md §3).
     */
    Optional<String> unfitFor(Terms now, Predicate<X509Certificate> trusted) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty(); // TCP: no certificate either way; a change of mode changes the port and transport
        }
        if (now.mode() != terms.mode()) {
            return Optional.of("it was opened as " + terms.mode() + ", the phone is now " + now.mode());
        }
        if (!now.clientCertificate().equals(terms.clientCertificate())) {
            return Optional.of("it presented the phone's previous certificate");
        }
        X509Certificate peer;
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
                return Optional.of("its TLS session has no CallManager certificate");
            }
            peer = x;
        } catch (SSLPeerUnverifiedException e) {
            return Optional.of("its TLS session has no CallManager certificate");
        }
        boolean ok;
        try {
            ok = trusted.test(peer);
        } catch (RuntimeException e) {
            ok = false;
        }
        return ok ? Optional.empty() : Optional.of("the phone no longer trusts " + peer.getSubjectX500Principal().getName());
    }

    /** Whether it was opened presenting {@code certificate}. */
    boolean presents(X509Certificate certificate) {
        return terms.clientCertificate().filter(certificate::equals).isPresent();
    }

    CallManagerTarget target() {
        return target;
    }

    String contactUser() {
        return contactUser;
    }

    /** The ids of the next request of this registration: same Call-ID and tag, CSeq + 1, a new branch. */
    CiscoRegister.Dialog next(String branch) {
        CiscoRegister.Dialog d = last;
        return new CiscoRegister.Dialog(d.callId(), d.fromTag(), d.cseq() + 1, branch);
    }

    Channel channel() {
        return channel;
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Closes it and drops it from the kept connections now (their count is right on return). */
    void close() {
        closedByPhone = true;
        channel.close();
        onClosed.run();
    }

    /**
     * Writes the request {@code build} makes for this connection's local address and completes with its final answer
     * (the connection left open in it) or why there is none; never exceptionally.
     */
    CompletableFuture<Attempt> send(CiscoRegister.Dialog dialog, String method, Function<InetSocketAddress, SipMessage.Request> build,
                                    Duration timeout, ConsoleLog phoneLog) {
        CompletableFuture<Attempt> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                result.complete(new Attempt.Failed(AttemptFailure.CONNECTION_CLOSED, "the kept connection was closed"));
                return;
            }
            if (pending != null) {
                result.complete(new Attempt.Failed(AttemptFailure.CONNECT_FAILED, "a request is already waiting on this connection"));
                return;
            }
            log = phoneLog;
            if (continuesRegistration(method)) {
                last = dialog;
            }
            pending = result;
            pendingDialog = dialog;
            pendingMethod = method;
            SipMessage.Request request;
            try {
                request = build.apply((InetSocketAddress) channel.localAddress());
            } catch (RuntimeException e) {
                finish(new Attempt.Failed(AttemptFailure.CONNECT_FAILED, String.valueOf(e.getMessage())));
                return;
            }
            channel.writeAndFlush(request).addListener((ChannelFuture w) -> {
                if (!w.isSuccess()) {
                    String why = TlsFailures.rootMessage(w.cause());
                    phoneLog.error(SipConsole.connectionError(target, method + " not sent: " + why));
                    finish(new Attempt.Failed(AttemptFailure.CONNECTION_CLOSED, why));
                    closedByPhone = true;
                    channel.close();
                    return;
                }
                phoneLog.notice(SipConsole.sentOnOpenConnection(target, method));
                if (pending == result) {
                    long ms = timeout.toMillis();
                    timer = channel.eventLoop().schedule(() -> {
                        phoneLog.error(SipConsole.noAnswer(target, ms));
                        finish(new Attempt.Failed(AttemptFailure.NO_RESPONSE, "no answer within " + ms + " ms"));
                        if (continuesRegistration(method)) {
                            closedByPhone = true;
                            channel.close();
                        } else {
                            // A CallManager that ignores the alarm keeps the registration's connection: its late
                            // answer, if any, is recognised by its Call-ID and dropped.
                            abandonedCallId = dialog.callId();
                        }
                    }, ms, TimeUnit.MILLISECONDS);
                }
            });
        });
        return result;
    }

    private void finish(Attempt a) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        CompletableFuture<Attempt> p = pending;
        pending = null;
        if (p != null) {
            p.complete(a);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipMessage.Response message) {
        if (pending == null || message.header("Call-ID").filter(id -> id.equals(abandonedCallId)).isPresent()) {
            return; // a late answer to a request that timed out (a REGISTER's connection is closing anyway)
        }
        // A digest challenge answered on the way moved the CSeq on: the answer and the next request follow it.
        CiscoRegister.Dialog answeredAs = DigestChallengeHandler.dialogOf(ctx.pipeline(), pendingDialog);
        Optional<String> wrong = RegisterAnswer.mismatch(message, answeredAs, pendingMethod);
        if (wrong.isPresent()) {
            log.error(SipConsole.badAnswer(target, wrong.get()));
            // Closed under a REGISTER, the registration hears of it; under the REFER, the connection's end is reported.
            closedByPhone = continuesRegistration(pendingMethod);
            finish(new Attempt.Failed(AttemptFailure.MALFORMED_RESPONSE, wrong.get()));
            ctx.close();
            return;
        }
        if (continuesRegistration(pendingMethod)) {
            last = answeredAs;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        finish(new Attempt.Answered(message, Optional.ofNullable(ssl).map(s -> SipTlsOffer.ianaName(s.engine().getSession().getCipherSuite())),
                DigestChallengeHandler.stepOf(ctx.pipeline()), Optional.of(channel)));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            onClosed.run(); // closed between the answer and the hand-over: CallManager's end, unless the phone closed it
            if (!closedByPhone) {
                lost.accept(target);
            }
        }
    }

    /** Only a REGISTER moves the registration's CSeq on; the DeviceTLInfo REFER is a transaction of its own. */
    private static boolean continuesRegistration(String method) {
        return "REGISTER".equals(method);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        boolean idle = pending == null;
        // A REGISTER under way reports its own failure to its registration; the end of the connection under any other
        // request (the DeviceTLInfo REFER) is the registration's loss like an idle connection's.
        boolean registering = !idle && continuesRegistration(pendingMethod);
        if (!idle) {
            String m = "CallManager closed the connection without answering the " + pendingMethod;
            log.error(SipConsole.connectionError(target, m));
            finish(new Attempt.Failed(AttemptFailure.CONNECTION_CLOSED, m));
        } else if (!closedByPhone) {
            log.warn(SipConsole.keptConnectionClosed(target));
        }
        onClosed.run();
        if (!registering && !closedByPhone) {
            lost.accept(target);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String why = cause instanceof SipCodecException ? cause.getMessage() : TlsFailures.rootMessage(cause);
        // A reset or a TLS alert while idle is CallManager's end of the connection (reported when it is inactive).
        log.error(SipConsole.connectionError(target, why));
        if (pending != null) {
            closedByPhone = continuesRegistration(pendingMethod);
            finish(new Attempt.Failed(cause instanceof SipCodecException ? AttemptFailure.MALFORMED_RESPONSE
                    : AttemptFailure.CONNECTION_CLOSED, why));
        }
        ctx.close();
    }
}
