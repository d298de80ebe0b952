package org.phoneemu.cucm.capf.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.phoneemu.capf.wire.CapfCertificate;
import org.phoneemu.capf.wire.CapfMessage;
import org.phoneemu.capf.wire.CapfOpcode;
import org.phoneemu.capf.wire.CapfProof;
import org.phoneemu.capf.wire.CapfReason;
import org.phoneemu.capf.wire.CapfTag;
import org.phoneemu.capf.wire.CapfWireException;
import org.phoneemu.core.capf.CapfSignedData;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.core.text.TerminalText;
import org.phoneemu.cucm.capf.CapfServerOptions;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.CapfSettings;

/**
 * The server's side of one CAPF session (docs/CAPF.md §4): AUTH_REQUEST first, then the phone's name and proof, then
 * the pending operation. Every wait has a deadline; any surprise ends the session with END_SESSION 7.
 */
final class CapfServerSession extends SimpleChannelInboundHandler<CapfMessage> {
    private enum Step { HANDSHAKE, AUTH_RESPONSE, KEY_GENERATE_RESPONSE, STORE_RESPONSE, FETCH_RESPONSE, DELETE_RESPONSE, WORKING, DONE }

    private final long sessionId;
    private final CapfAuthority authority;
    private final Executor worker;
    private final CapfServerOptions options;
    private final java.util.function.Consumer<String> trace;
    private Step step = Step.HANDSHAKE;
    private String device = "?";
    private CapfSettings settings;
    private X509Certificate issued;
    private ScheduledFuture<?> stepTimer;
    private ScheduledFuture<?> sessionTimer;

    CapfServerSession(long sessionId, CapfAuthority authority, Executor worker, CapfServerOptions options,
                      java.util.function.Consumer<String> trace) {
        this.sessionId = sessionId;
        this.authority = authority;
        this.worker = worker;
        this.options = options;
        this.trace = trace;
    }

    private void trace(String text) {
        trace.accept("CAPF session " + sessionId + " (" + device + "): " + text);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long ms = options.sessionTimeout().toMillis();
        sessionTimer = ctx.executor().schedule(() -> end(ctx, CapfReason.INVALID_ELEMENT, "session not finished within " + ms + " ms"),
                ms, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        if (step != Step.DONE) {
            trace("the phone closed the connection while waiting for " + step);
            step = Step.DONE;
        }
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (stepTimer != null) {
            stepTimer.cancel(false);
        }
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
        }
    }

    private void expect(ChannelHandlerContext ctx, Step next) {
        step = next;
        if (stepTimer != null) {
            stepTimer.cancel(false);
        }
        long ms = options.requestTimeout().toMillis();
        stepTimer = ctx.executor().schedule(() -> end(ctx, CapfReason.INVALID_ELEMENT, "no " + next + " within " + ms + " ms"),
                ms, TimeUnit.MILLISECONDS);
    }

    /** Ends the session: END_SESSION with the reason, then close. */
    private void end(ChannelHandlerContext ctx, CapfReason reason, String why) {
        if (step == Step.DONE) {
            return;
        }
        step = Step.DONE;
        cancel();
        trace("END_SESSION " + CapfReason.describe(reason.code()) + (why.isEmpty() ? "" : ": " + why));
        ctx.writeAndFlush(CapfMessage.endSession(sessionId, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                trace("TLS handshake failed: " + e.cause().getMessage());
                step = Step.DONE;
                cancel();
                ctx.close();
                return;
            }
            // The server does not know the device before AUTH_RESPONSE: like the independent implementation it
            // announces no authentication type (0) and judges the answer by the device's settings.
            trace("TLS established with " + ctx.channel().remoteAddress() + ", AUTH_REQUEST sent");
            ctx.writeAndFlush(CapfMessage.authRequest(sessionId, CapfMessage.PROTOCOL_VERSION, CapfTag.AUTH_NONE));
            expect(ctx, Step.AUTH_RESPONSE);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, CapfMessage m) {
        if (step == Step.DONE) {
            return;
        }
        if (m.sessionId() != sessionId) {
            end(ctx, CapfReason.INVALID_ELEMENT, "session id " + m.sessionId() + ", expected " + sessionId);
            return;
        }
        if (m.opcode() == CapfOpcode.END_SESSION) {
            trace("the phone ended the session: " + CapfReason.describe(m.reason().orElse(-1)));
            step = Step.DONE;
            cancel();
            ctx.close();
            return;
        }
        if (m.opcode() == CapfOpcode.REQUEST_IN_PROGRESS && step == Step.KEY_GENERATE_RESPONSE) {
            expect(ctx, Step.KEY_GENERATE_RESPONSE); // the phone is making its key: a new deadline for the answer
            return;
        }
        Step expected = step;
        switch (expected) {
            case AUTH_RESPONSE -> onAuth(ctx, m);
            case KEY_GENERATE_RESPONSE -> onPublicKey(ctx, m);
            case STORE_RESPONSE -> onConfirmation(ctx, m, CapfOpcode.STORE_CERTIFICATE_RESPONSE, Optional.of(issued), CapfReason.SUCCESS);
            case DELETE_RESPONSE -> onConfirmation(ctx, m, CapfOpcode.DELETE_CERTIFICATE_RESPONSE, Optional.empty(), CapfReason.SUCCESS);
            case FETCH_RESPONSE -> onFetched(ctx, m);
            default -> end(ctx, CapfReason.INVALID_ELEMENT, "unexpected " + m.opcode() + " while " + expected);
        }
    }

    private void onAuth(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.AUTH_RESPONSE || m.deviceName().isEmpty()) {
            end(ctx, CapfReason.INVALID_ELEMENT, "expected AUTH_RESPONSE with a device name, got " + m.opcode());
            return;
        }
        device = m.deviceName().get();
        // Like the independent server, refuse only a version newer than ours: the published softphone capture answers
        // VERSION 2, and a phone that sends none is taken as an old one (docs/CAPF.md §1).
        if (m.version().orElse(0) > CapfMessage.PROTOCOL_VERSION) {
            end(ctx, CapfReason.INVALID_ELEMENT, "protocol version " + m.version().getAsInt() + ", newer than " + CapfMessage.PROTOCOL_VERSION);
            return;
        }
        Optional<CapfSettings> s = authority.settings(device);
        if (s.isEmpty()) {
            end(ctx, CapfReason.UNKNOWN_DEVICE, "");
            return;
        }
        settings = s.get();
        if (settings.operation() == CapfOperation.NO_PENDING_OPERATION) {
            end(ctx, CapfReason.NO_ACTION, "no operation pending");
            return;
        }
        switch (settings.authMode()) {
            case NULL_STRING -> authenticated(ctx);
            case AUTH_STRING -> checkAuthString(ctx, m);
            default -> checkCertificate(ctx, m);
        }
    }

    private void checkAuthString(ChannelHandlerContext ctx, CapfMessage m) {
        AuthStringGuard guard = authority.authStringGuard();
        String expected = settings.authString().orElse("");
        // Keyed on the cluster's spelling: "sep0011..." and "SEP0011..." are one device with one budget. Only known
        // devices get here, so the guard holds at most one entry per device and string.
        Optional<String> canonical = authority.canonicalName(device);
        if (canonical.isEmpty()) {
            end(ctx, CapfReason.UNKNOWN_DEVICE, "");
            return;
        }
        String device = canonical.get();
        Optional<Duration> locked = guard.begin(device, expected, options.maxAuthFailures(), options.authLockout());
        if (locked.isPresent()) {
            long seconds = Math.min(0xffff, Math.max(1, locked.get().toSeconds()));
            step = Step.DONE;
            cancel();
            trace("RETRY_LATER " + seconds + " s: " + options.maxAuthFailures() + " wrong authentication strings, the device is locked");
            ctx.writeAndFlush(CapfMessage.retryLater(sessionId, (int) seconds)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean right = m.password().map(expected::equals).orElse(false);
        // Counted now, so closing the connection during the delay does not take the guess back.
        guard.judged(device, expected, right);
        int failures = guard.failures(device, expected);
        String why = (m.password().isEmpty() ? "no authentication string given" : "wrong authentication string")
                + " (" + failures + " of " + options.maxAuthFailures() + ")";
        // Every answer to an authentication string, right or wrong, comes after the same delay on a timer: guessing
        // is slow as well as short, and how soon the server answers tells nothing about the guess.
        long ms = options.authFailureDelay().toMillis();
        if (ms == 0) {
            answerAuthString(ctx, right, why);
            return;
        }
        step = Step.WORKING;
        if (stepTimer != null) {
            stepTimer.cancel(false);
        }
        trace("authentication string received, answering in " + ms + " ms");
        ctx.executor().schedule(() -> {
            if (step == Step.WORKING) { // not ended meanwhile (closed, session deadline, a message out of turn)
                answerAuthString(ctx, right, why);
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    private void answerAuthString(ChannelHandlerContext ctx, boolean right, String why) {
        if (right) {
            authenticated(ctx);
        } else {
            end(ctx, CapfReason.INVALID_ELEMENT, why);
        }
    }

    private void checkCertificate(ChannelHandlerContext ctx, CapfMessage m) {
        Optional<CapfProof> proof = m.proof();
        if (proof.isEmpty()) {
            end(ctx, CapfReason.INVALID_ELEMENT, "authentication by certificate without CERTIFICATE, SIGNED_DATA and SHA2_SIGNED_DATA");
            return;
        }
        CapfProof p = proof.get();
        if (p.sha2SignedData().hashAlgorithm() != CapfTag.HASH_SHA512) {
            end(ctx, CapfReason.INVALID_ELEMENT, "SHA2_SIGNED_DATA with hash algorithm " + p.sha2SignedData().hashAlgorithm());
            return;
        }
        X509Certificate cert;
        try {
            cert = parse(p.certificate().der());
        } catch (Exception e) {
            end(ctx, CapfReason.INVALID_ELEMENT, "the phone's certificate does not parse");
            return;
        }
        if (!authority.isDeviceCertificate(device, cert)) {
            end(ctx, CapfReason.INVALID_ELEMENT, "the certificate is neither this device's LSC nor its MIC: "
                    + TerminalText.line(cert.getSubjectX500Principal().getName()));
            return;
        }
        if (!CapfSignedData.verify(device, p.certificate().der(), cert.getPublicKey(), p.signedData(), p.sha2SignedData().signature())) {
            end(ctx, CapfReason.INVALID_ELEMENT, "SIGNED_DATA or SHA2_SIGNED_DATA does not verify with the certificate's key");
            return;
        }
        trace("certificate proof verified: " + (p.certificate().type() == CapfTag.CERTIFICATE_MIC ? "MIC" : "LSC"));
        authenticated(ctx);
    }

    private void authenticated(ChannelHandlerContext ctx) {
        trace("authenticated by " + settings.authMode().text() + "; operation " + settings.operation().text());
        switch (settings.operation()) {
            case INSTALL_UPGRADE -> {
                LscKeySpec k = settings.key();
                ctx.writeAndFlush(k.algorithm() == LscKeySpec.Algorithm.EC ? CapfMessage.keyGenerateEc(sessionId, CapfTag.curveOf(k.size()))
                        : CapfMessage.keyGenerateRsa(sessionId, k.size()));
                trace("KEY_GENERATE_REQUEST " + k.describe());
                expect(ctx, Step.KEY_GENERATE_RESPONSE);
            }
            case DELETE -> {
                ctx.writeAndFlush(CapfMessage.deleteCertificateRequest(sessionId));
                expect(ctx, Step.DELETE_RESPONSE);
            }
            case TROUBLESHOOT -> {
                ctx.writeAndFlush(CapfMessage.fetchCertificateRequest(sessionId));
                expect(ctx, Step.FETCH_RESPONSE);
            }
            default -> end(ctx, CapfReason.NO_ACTION, "");
        }
    }

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private void onPublicKey(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.KEY_GENERATE_RESPONSE || m.publicKey().isEmpty()) {
            end(ctx, CapfReason.INVALID_ELEMENT, "expected KEY_GENERATE_RESPONSE with a public key, got " + m.opcode()
                    + m.reason().stream().mapToObj(r -> " (reason " + r + ")").findFirst().orElse(""));
            return;
        }
        PublicKey key;
        try {
            key = CapfKeyCheck.check(m.publicKey().get(), settings.key());
        } catch (CapfKeyCheck.Refused e) {
            end(ctx, CapfReason.INVALID_ELEMENT, e.getMessage());
            return;
        }
        step = Step.WORKING;
        String name = device;
        CompletableFuture.supplyAsync(() -> authority.issue(name, key), worker)
                .whenComplete((cert, err) -> ctx.executor().execute(() -> {
                    if (step == Step.DONE) {
                        return;
                    }
                    if (err != null) {
                        end(ctx, CapfReason.INVALID_ELEMENT, "cannot issue the LSC: " + err.getMessage());
                        return;
                    }
                    issued = cert;
                    try {
                        ctx.writeAndFlush(CapfMessage.storeCertificateRequest(sessionId, cert.getEncoded()));
                    } catch (java.security.cert.CertificateEncodingException e) {
                        end(ctx, CapfReason.INVALID_ELEMENT, e.getMessage());
                        return;
                    }
                    trace("STORE_CERTIFICATE_REQUEST: LSC serial " + cert.getSerialNumber().toString(16));
                    expect(ctx, Step.STORE_RESPONSE);
                }));
    }

    private void onConfirmation(ChannelHandlerContext ctx, CapfMessage m, CapfOpcode expected, Optional<X509Certificate> cert,
                                CapfReason endReason) {
        if (m.opcode() != expected) {
            end(ctx, CapfReason.INVALID_ELEMENT, "expected " + expected + ", got " + m.opcode());
            return;
        }
        int reason = m.reason().orElse(-1);
        if (reason != CapfReason.SUCCESS.code()) {
            end(ctx, CapfReason.INVALID_ELEMENT, "the phone reports " + CapfReason.describe(reason) + "; nothing recorded");
            return;
        }
        complete(ctx, cert, endReason);
    }

    private void onFetched(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.FETCH_CERTIFICATE_RESPONSE) {
            end(ctx, CapfReason.INVALID_ELEMENT, "expected FETCH_CERTIFICATE_RESPONSE, got " + m.opcode());
            return;
        }
        if (m.reason().orElse(-1) != CapfReason.SUCCESS.code()) {
            end(ctx, CapfReason.NO_ACTION, "the phone sent no certificate (" + CapfReason.describe(m.reason().orElse(-1)) + ")");
            return;
        }
        Optional<CapfCertificate> c = m.certificate();
        if (c.isEmpty()) {
            end(ctx, CapfReason.INVALID_ELEMENT, "FETCH_CERTIFICATE_RESPONSE without a certificate");
            return;
        }
        X509Certificate cert;
        try {
            cert = parse(c.get().der());
        } catch (Exception e) {
            end(ctx, CapfReason.INVALID_ELEMENT, "the phone's certificate does not parse");
            return;
        }
        complete(ctx, Optional.of(cert), CapfReason.NO_ACTION);
    }

    private void complete(ChannelHandlerContext ctx, Optional<X509Certificate> cert, CapfReason endReason) {
        step = Step.WORKING;
        CapfOperation op = settings.operation();
        String name = device;
        CompletableFuture.runAsync(() -> authority.completed(name, op, cert), worker)
                .whenComplete((v, err) -> ctx.executor().execute(() -> {
                    if (step == Step.DONE) {
                        return;
                    }
                    if (err != null) {
                        end(ctx, CapfReason.INVALID_ELEMENT, "cannot record the operation: " + err.getMessage());
                    } else {
                        end(ctx, endReason, op.text() + " done");
                    }
                }));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CapfWireException || cause.getCause() instanceof CapfWireException) {
            trace("malformed message: " + cause.getMessage());
        } else {
            trace("connection error: " + cause.getMessage());
        }
        step = Step.DONE;
        cancel();
        ctx.close();
    }
}
