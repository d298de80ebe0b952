package org.phoneemu.capf.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.phoneemu.capf.wire.CapfMessage;
import org.phoneemu.capf.wire.CapfOpcode;
import org.phoneemu.capf.wire.CapfReason;
import org.phoneemu.capf.wire.CapfTag;
import org.phoneemu.capf.wire.CapfWireException;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.IssuedLscCheck;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.tls.client.ClientTls;

/**
 * One try of a CAPF session on one connection: checks the server's certificate right after the handshake (before
 * any byte is written), then answers the server's messages one step at a time. Key generation and flash writes
 * run on the worker executor; their results come back to the event loop.
 */
final class CapfSession extends SimpleChannelInboundHandler<CapfMessage> {
    /** What one try ended with: a final outcome, or a communication failure worth another try. */
    record Attempt(Optional<CapfOutcome> outcome, String failure) {
        static Attempt done(CapfOutcome o) {
            return new Attempt(Optional.of(o), null);
        }

        static Attempt failed(String why) {
            return new Attempt(Optional.empty(), why);
        }
    }

    private enum Step { HANDSHAKE, AUTH_REQUEST, OPERATION, WORKING, STORE_CERT, END }

    private final CompletableFuture<Attempt> result;
    private final CapfRequest request;
    private final CapfFlash flash;
    private final CapfClientOptions options;
    private final Executor worker;
    private final SecureRandom random;
    private final Clock clock;
    private final ConsoleLog log;
    private final String ip;
    private final int tryNumber;
    private Step step = Step.HANDSHAKE;
    private long sessionId;
    private X509Certificate serverCert;
    private KeyPair keyPair;
    private LscKeySpec keySpec;
    private ScheduledFuture<?> timer;
    /** Set once the operation is done on the phone's side; the session end only confirms it. */
    private CapfOutcome success;

    CapfSession(CompletableFuture<Attempt> result, CapfRequest request, CapfFlash flash, CapfClientOptions options,
                Executor worker, SecureRandom random, Clock clock, ConsoleLog log, int tryNumber) {
        this.result = result;
        this.request = request;
        this.flash = flash;
        this.options = options;
        this.worker = worker;
        this.random = random;
        this.clock = clock;
        this.log = log;
        this.ip = request.server().getAddress().getHostAddress();
        this.tryNumber = tryNumber;
    }

    // ---- ending ----------------------------------------------------------------------------------------------

    private void finish(ChannelHandlerContext ctx, Attempt a) {
        cancelTimer();
        if (result.complete(a)) {
            ctx.close();
        }
    }

    private void commFailure(ChannelHandlerContext ctx, String why) {
        if (result.isDone()) {
            return;
        }
        if (success != null) {
            // The operation already took effect on the flash; a lost goodbye does not undo it.
            log.warn("SECD: capfClientSession: the CAPF session ended without its confirmation (" + why + "); the operation is complete");
            finish(ctx, Attempt.done(success));
            return;
        }
        log.error("SECD: EROR:capfClientSession: CAPF session with <" + ip + "> failed: " + why);
        finish(ctx, Attempt.failed(why));
    }

    private void refuse(ChannelHandlerContext ctx, CapfOutcome.Why why, OptionalInt serverReason, String message) {
        if (result.isDone()) {
            return;
        }
        log.error("SECD: EROR:capfClientSession: " + message);
        finish(ctx, Attempt.done(new CapfOutcome.Refused(why, serverReason, message)));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expectWithin(ChannelHandlerContext ctx, Step next) {
        step = next;
        cancelTimer();
        long ms = options.readTimeout().toMillis();
        timer = ctx.executor().schedule(() -> commFailure(ctx, "no message from the CAPF server within " + ms + " ms"),
                ms, TimeUnit.MILLISECONDS);
    }

    // ---- TLS ---------------------------------------------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent) {
            ctx.close();
            return;
        }
        if (!(evt instanceof SslHandshakeCompletionEvent e)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (!e.isSuccess()) {
            commFailure(ctx, "TLS handshake failed: " + rootMessage(e.cause()));
            return;
        }
        Optional<X509Certificate> peer = ClientTls.peerCertificate(ctx.pipeline().get(SslHandler.class).engine().getSession());
        log.notice("SECD: capf_srvr_cert_vfy: CAPF server certificate validation needs to be done, <" + ip + ">");
        boolean trusted;
        try {
            trusted = peer.isPresent() && request.trustedCapf().test(peer.get());
        } catch (RuntimeException ex) {
            trusted = false;
        }
        if (!trusted) {
            refuse(ctx, CapfOutcome.Why.UNTRUSTED_SERVER, OptionalInt.empty(),
                    "capf_srvr_cert_vfy: CAPF cert not found in TL, closing the connection, <" + ip + "> ("
                            + peer.map(c -> c.getSubjectX500Principal().getName()).orElse("no certificate") + ")");
            return;
        }
        serverCert = peer.get();
        log.notice("SECD: capf_srvr_cert_vfy: CAPF cert verified with the CAPF record of the TL, <" + ip + ">");
        expectWithin(ctx, Step.AUTH_REQUEST);
    }

    // ---- messages ----------------------------------------------------------------------------------------------

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, CapfMessage m) {
        if (result.isDone()) {
            return;
        }
        cancelTimer();
        if (step != Step.AUTH_REQUEST && step != Step.HANDSHAKE && m.sessionId() != sessionId) {
            commFailure(ctx, "session id " + m.sessionId() + " in a " + m.opcode() + ", expected " + sessionId);
            return;
        }
        if (m.opcode() == CapfOpcode.END_SESSION && step != Step.END) {
            int reason = m.reason().orElse(0);
            if (success != null) {
                finish(ctx, Attempt.done(success));
                return;
            }
            refuse(ctx, CapfOutcome.Why.SERVER_REFUSED, OptionalInt.of(reason),
                    "capfProcessEndSession: the CAPF server ended the session: " + CapfReason.describe(reason));
            return;
        }
        switch (step) {
            case AUTH_REQUEST -> onAuthRequest(ctx, m);
            case OPERATION -> onOperation(ctx, m);
            case STORE_CERT -> onStoreCert(ctx, m);
            case END -> onEnd(ctx, m);
            default -> commFailure(ctx, "unexpected " + m.opcode() + " while " + step);
        }
    }

    private void onAuthRequest(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.AUTH_REQUEST) {
            commFailure(ctx, "expected AUTH_REQUEST, got " + m.opcode());
            return;
        }
        sessionId = m.sessionId();
        int authType = request.authMode() == CapfAuthMode.EXISTING_CERTIFICATE ? CapfTag.AUTH_BY_CERTIFICATE : CapfTag.AUTH_BY_STRING;
        log.notice("SECD: capfProcessAuthReq: CAPF session " + sessionId + ", authenticating " + request.deviceName()
                + " by " + request.authMode().text());
        ctx.writeAndFlush(CapfMessage.authResponse(sessionId, request.deviceName(), authType, request.authString()));
        expectWithin(ctx, Step.OPERATION);
    }

    private void onOperation(ChannelHandlerContext ctx, CapfMessage m) {
        switch (m.opcode()) {
            case KEY_GEN_REQUEST -> onKeyGen(ctx, m);
            case FETCH_REQUEST -> {
                Optional<X509Certificate> cert = flash.currentCertificate();
                log.notice("SECD: capfProcessFetchReq: sending the phone's certificate to CAPF: "
                        + cert.map(c -> c.getSubjectX500Principal().getName()).orElse("none"));
                try {
                    ctx.writeAndFlush(CapfMessage.fetchResponse(sessionId, cert.isPresent() ? cert.get().getEncoded() : new byte[0]));
                } catch (java.security.cert.CertificateEncodingException e) {
                    commFailure(ctx, "cannot encode the phone's certificate: " + e.getMessage());
                    return;
                }
                success = new CapfOutcome.Fetched(cert, tryNumber);
                expectWithin(ctx, Step.END);
            }
            case DELETE_REQUEST -> {
                log.notice("SECD: capfProcessDeleteReq: deleting the LSC");
                step = Step.WORKING;
                CompletableFuture.runAsync(() -> {
                    try {
                        flash.deleteLsc();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, worker).whenComplete((v, err) -> ctx.executor().execute(() -> {
                    if (err != null) {
                        ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.DELETE_RESPONSE, sessionId, CapfReason.STORE_FAILED));
                        refuse(ctx, CapfOutcome.Why.STORE_FAILED, OptionalInt.empty(), "capfProcessDeleteReq: cannot delete the LSC: "
                                + rootMessage(err));
                        return;
                    }
                    success = new CapfOutcome.Deleted(tryNumber);
                    ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.DELETE_RESPONSE, sessionId, CapfReason.OK));
                    expectWithin(ctx, Step.END);
                }));
            }
            default -> commFailure(ctx, "expected a certificate operation, got " + m.opcode());
        }
    }

    private void onKeyGen(ChannelHandlerContext ctx, CapfMessage m) {
        LscKeySpec.Algorithm alg = m.ecKey() ? LscKeySpec.Algorithm.EC : LscKeySpec.Algorithm.RSA;
        int size = m.keySize().orElse(-1);
        if (!LscKeySpec.supported(alg, size)) {
            ctx.writeAndFlush(CapfMessage.endSession(sessionId, CapfReason.KEY_REFUSED));
            refuse(ctx, CapfOutcome.Why.KEY_REFUSED, OptionalInt.empty(), "capfProcessKeyGenReq: " + LscKeySpec.unsupported(alg, size));
            return;
        }
        keySpec = new LscKeySpec(alg, size);
        log.notice("SECD: capfProcessKeyGenReq: generating a " + keySpec.describe() + " key pair for the LSC");
        step = Step.WORKING;
        CompletableFuture.supplyAsync(() -> keySpec.generate(random), worker)
                .whenComplete((kp, err) -> ctx.executor().execute(() -> {
                    if (result.isDone()) {
                        return;
                    }
                    if (err != null) {
                        ctx.writeAndFlush(CapfMessage.endSession(sessionId, CapfReason.KEY_REFUSED));
                        refuse(ctx, CapfOutcome.Why.KEY_REFUSED, OptionalInt.empty(), "capfProcessKeyGenReq: " + rootMessage(err));
                        return;
                    }
                    keyPair = kp;
                    ctx.writeAndFlush(CapfMessage.keyGenResponse(sessionId, kp.getPublic().getEncoded()));
                    log.notice("SECD: capfProcessKeyGenReq: public key sent to CAPF, waiting for the certificate");
                    expectWithin(ctx, Step.STORE_CERT);
                }));
    }

    private void onStoreCert(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.STORE_CERT_REQUEST) {
            commFailure(ctx, "expected STORE_CERT_REQUEST, got " + m.opcode());
            return;
        }
        X509Certificate cert;
        try {
            byte[] der = m.certificateDer().orElseThrow(() -> new CertificateException("no certificate package"));
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.STORE_CERT_RESPONSE, sessionId, CapfReason.BAD_REQUEST));
            refuse(ctx, CapfOutcome.Why.BAD_CERTIFICATE, OptionalInt.empty(), "capfProcessStoreCertReq: the LSC does not parse: "
                    + rootMessage(e));
            return;
        }
        Optional<String> problem = IssuedLscCheck.problem(cert, keyPair.getPublic(), serverCert, clock.instant());
        if (problem.isPresent()) {
            ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.STORE_CERT_RESPONSE, sessionId, CapfReason.BAD_REQUEST));
            refuse(ctx, CapfOutcome.Why.BAD_CERTIFICATE, OptionalInt.empty(), "capfProcessStoreCertReq: LSC refused: " + problem.get());
            return;
        }
        step = Step.WORKING;
        KeyMaterial lsc = new KeyMaterial(keyPair.getPrivate(), cert);
        CompletableFuture.runAsync(() -> {
            try {
                flash.installLsc(lsc);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, worker).whenComplete((v, err) -> ctx.executor().execute(() -> {
            if (result.isDone()) {
                return;
            }
            if (err != null) {
                ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.STORE_CERT_RESPONSE, sessionId, CapfReason.STORE_FAILED));
                refuse(ctx, CapfOutcome.Why.STORE_FAILED, OptionalInt.empty(), "capfProcessStoreCertReq: cannot write the LSC: "
                        + rootMessage(err));
                return;
            }
            success = new CapfOutcome.Installed(cert, keySpec, tryNumber);
            log.notice("SECD: capfProcessStoreCertReq: LSC installed: " + cert.getSubjectX500Principal().getName()
                    + ", serial " + cert.getSerialNumber().toString(16) + ", issuer " + cert.getIssuerX500Principal().getName());
            ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.STORE_CERT_RESPONSE, sessionId, CapfReason.OK));
            expectWithin(ctx, Step.END);
        }));
    }

    private void onEnd(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.END_SESSION) {
            commFailure(ctx, "expected END_SESSION, got " + m.opcode());
            return;
        }
        log.notice("SECD: capfProcessEndSession: CAPF session " + sessionId + " ended: " + CapfReason.describe(m.reason().orElse(0)));
        finish(ctx, Attempt.done(success));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        commFailure(ctx, "the CAPF server closed the connection");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CapfWireException w || cause.getCause() instanceof CapfWireException) {
            commFailure(ctx, "malformed message from the CAPF server: " + rootMessage(cause));
        } else {
            commFailure(ctx, rootMessage(cause));
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof io.netty.handler.codec.DecoderException
                || c instanceof java.io.UncheckedIOException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
    }
}
