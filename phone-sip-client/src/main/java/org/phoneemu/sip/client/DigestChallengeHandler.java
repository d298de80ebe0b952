package org.phoneemu.sip.client;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.DigestAuthorization;
import org.phoneemu.core.sip.DigestChallengePolicy;
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.sip.codec.SipHeaders;
import org.phoneemu.sip.codec.SipMessage;

/**
 * The digest step of one connection (docs/SIP.md §12), between the codec and the exchange: a 401/407 to the request it
 * saw written is answered, when {@link DigestChallengePolicy} says so, by the same request again on the same connection
 * (CSeq + 1, a new branch, the Authorization) and goes no further; any other answer, and a challenge the phone stops at,
 * goes on to the exchange, which reads {@link #step} with it. A final answer ends the transaction's count of answers
 * and each request the exchange writes starts afresh, so a kept connection's renewals each answer their own challenge.
 * The exchange's response timeout runs from the first request and covers the challenge too. Runs on the channel's event loop only.
 */
final class DigestChallengeHandler extends ChannelDuplexHandler {
    static final String NAME = "digest";
    private static final Pattern CSEQ = Pattern.compile("\\s*([0-9]{1,10})\\s+([A-Za-z]+)\\s*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<DigestCredentials> credentials;
    private final ConsoleLog log;
    private final CallManagerTarget target;
    private SipMessage.Request last;
    private DigestChallengePolicy.State state = DigestChallengePolicy.State.START;
    private DigestStep step = DigestStep.NONE;

    DigestChallengeHandler(Optional<DigestCredentials> credentials, ConsoleLog log, CallManagerTarget target) {
        this.credentials = credentials;
        this.log = log;
        this.target = target;
    }

    /** The step of the connection {@code p} belongs to ({@link DigestStep#NONE} without this handler). */
    static DigestStep stepOf(ChannelPipeline p) {
        DigestChallengeHandler h = p.get(DigestChallengeHandler.class);
        return h == null ? DigestStep.NONE : h.step;
    }

    /** {@code dialog} with the CSeq of the last request written on {@code p} (it moved on if a challenge was answered). */
    static CiscoRegister.Dialog dialogOf(ChannelPipeline p, CiscoRegister.Dialog dialog) {
        DigestChallengeHandler h = p.get(DigestChallengeHandler.class);
        if (h == null || h.last == null) {
            return dialog;
        }
        return new CiscoRegister.Dialog(dialog.callId(), dialog.fromTag(), cseq(h.last).orElse(dialog.cseq()), dialog.branch());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof SipMessage.Request r) {
            // Only the exchange's requests come through here (this handler's own answers start below it): each is a new
            // transaction, e.g. a renewal on a kept connection, which answers its own challenge afresh.
            last = r;
            state = DigestChallengePolicy.State.START;
            step = DigestStep.NONE;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof SipMessage.Response r) || !DigestChallengePolicy.isChallenge(r.status()) || last == null
                || cseq(r).isEmpty() || !cseq(r).equals(cseq(last))) {
            if (msg instanceof SipMessage.Response r && r.status() >= 200) {
                // The transaction is over: its answers no longer count against the next one (step stays for the exchange).
                state = DigestChallengePolicy.State.START;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        DigestChallengePolicy.Decision d = DigestChallengePolicy.decide(r.status(),
                r.headers().all(DigestChallengePolicy.challengeHeader(r.status())), credentials, state);
        if (!(d instanceof DigestChallengePolicy.Decision.Answer a)) {
            step = new DigestStep(step.answeredAs(), Optional.of(d));
            ctx.fireChannelRead(msg);
            return;
        }
        log.notice(a.next().staleRetried() ? SipConsole.staleNonce(target, last.method())
                : SipConsole.challenged(target, a.challenge().realm(), last.method(), credentials.orElseThrow().user()));
        state = a.next();
        SipMessage.Request again = authorized(last, a);
        last = again;
        step = new DigestStep(Optional.of(credentials.orElseThrow().user()), Optional.empty());
        ctx.writeAndFlush(again).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.fireExceptionCaught(f.cause());
            }
        });
    }

    /** {@code request} again: CSeq + 1, a new branch (a new transaction, RFC 3261 §8.1.3.5), the Authorization last. */
    private SipMessage.Request authorized(SipMessage.Request request, DigestChallengePolicy.Decision.Answer a) {
        DigestAuthorization auth = DigestAuthorization.answer(a.challenge(), credentials.orElseThrow(), request.method(), request.uri(),
                hex(8), 1);
        long next = cseq(request).orElse(100L) + 1;
        SipHeaders.Builder h = SipHeaders.builder();
        for (SipHeaders.Field f : request.headers().without("Authorization").without("Proxy-Authorization").fields()) {
            switch (f.name().toLowerCase(java.util.Locale.ROOT)) {
                case "cseq" -> h.add(f.name(), next + " " + request.method());
                case "via", "v" -> h.add(f.name(), f.value().replaceFirst(";branch=[^;]*", ";branch=z9hG4bK" + hex(6)));
                default -> h.add(f.name(), f.value());
            }
        }
        h.add(a.header(), auth.headerValue());
        return new SipMessage.Request(request.method(), request.uri(), h.build(), request.body());
    }

    private static Optional<Long> cseq(SipMessage m) {
        Matcher c = CSEQ.matcher(m.headers().first("CSeq").orElse(""));
        return c.matches() ? Optional.of(Long.parseLong(c.group(1))) : Optional.empty();
    }

    private static String hex(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
