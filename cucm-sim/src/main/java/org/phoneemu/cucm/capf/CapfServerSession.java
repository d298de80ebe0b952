package org.phoneemu.cucm.capf;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.phoneemu.capf.wire.CapfMessage;
import org.phoneemu.capf.wire.CapfOpcode;
import org.phoneemu.capf.wire.CapfReason;
import org.phoneemu.capf.wire.CapfTag;
import org.phoneemu.capf.wire.CapfWireException;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.CapfSettings;

/**
 * The server's side of one CAPF session: AUTH_REQUEST first, then the phone's name and proof, then the pending
 * operation. Every wait has a deadline; any surprise ends the session with END_SESSION and a reason.
 */
final class CapfServerSession extends SimpleChannelInboundHandler<CapfMessage> {
    private enum Step { HANDSHAKE, AUTH_RESPONSE, KEY_GEN_RESPONSE, STORE_CERT_RESPONSE, FETCH_RESPONSE, DELETE_RESPONSE, WORKING, DONE }

    private final long sessionId;
    private final X509Certificate capfCertificate;
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

    CapfServerSession(long sessionId, X509Certificate capfCertificate, CapfAuthority authority, Executor worker,
                      CapfServerOptions options, java.util.function.Consumer<String> trace) {
        this.sessionId = sessionId;
        this.capfCertificate = capfCertificate;
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
        sessionTimer = ctx.executor().schedule(() -> end(ctx, CapfReason.TIMEOUT, "session not finished within " + ms + " ms"),
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
        stepTimer = ctx.executor().schedule(() -> end(ctx, CapfReason.TIMEOUT, "no " + next + " within " + ms + " ms"),
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
            trace("TLS established with " + ctx.channel().remoteAddress() + ", AUTH_REQUEST sent");
            ctx.writeAndFlush(CapfMessage.authRequest(sessionId, CapfTag.AUTH_BY_CERTIFICATE | CapfTag.AUTH_BY_STRING));
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
            end(ctx, CapfReason.BAD_REQUEST, "session id " + m.sessionId() + ", expected " + sessionId);
            return;
        }
        if (m.opcode() == CapfOpcode.END_SESSION) {
            trace("the phone ended the session: " + CapfReason.describe(m.reason().orElse(0)));
            step = Step.DONE;
            cancel();
            ctx.close();
            return;
        }
        Step expected = step;
        switch (expected) {
            case AUTH_RESPONSE -> onAuth(ctx, m);
            case KEY_GEN_RESPONSE -> onPublicKey(ctx, m);
            case STORE_CERT_RESPONSE -> onConfirmation(ctx, m, CapfOpcode.STORE_CERT_RESPONSE, Optional.of(issued));
            case DELETE_RESPONSE -> onConfirmation(ctx, m, CapfOpcode.DELETE_RESPONSE, Optional.empty());
            case FETCH_RESPONSE -> onFetched(ctx, m);
            default -> end(ctx, CapfReason.BAD_REQUEST, "unexpected " + m.opcode() + " while " + expected);
        }
    }

    private void onAuth(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.AUTH_RESPONSE || m.deviceName().isEmpty()) {
            end(ctx, CapfReason.BAD_REQUEST, "expected AUTH_RESPONSE with a device name, got " + m.opcode());
            return;
        }
        device = m.deviceName().get();
        Optional<CapfSettings> s = authority.settings(device);
        if (s.isEmpty()) {
            end(ctx, CapfReason.DEVICE_NOT_FOUND, "");
            return;
        }
        settings = s.get();
        if (settings.operation() == CapfOperation.NO_PENDING_OPERATION) {
            end(ctx, CapfReason.NO_PENDING_OPERATION, "");
            return;
        }
        Optional<String> problem = authenticate(ctx, m);
        if (problem.isPresent()) {
            end(ctx, CapfReason.AUTHENTICATION_FAILED, problem.get());
            return;
        }
        trace("authenticated by " + settings.authMode().text() + "; operation " + settings.operation().text());
        switch (settings.operation()) {
            case INSTALL_UPGRADE -> {
                LscKeySpec k = settings.key();
                ctx.writeAndFlush(CapfMessage.keyGenRequest(sessionId, k.algorithm() == LscKeySpec.Algorithm.EC, k.size()));
                trace("KEY_GEN_REQUEST " + k.describe());
                expect(ctx, Step.KEY_GEN_RESPONSE);
            }
            case DELETE -> {
                ctx.writeAndFlush(CapfMessage.deleteRequest(sessionId));
                expect(ctx, Step.DELETE_RESPONSE);
            }
            case TROUBLESHOOT -> {
                ctx.writeAndFlush(CapfMessage.fetchRequest(sessionId));
                expect(ctx, Step.FETCH_RESPONSE);
            }
            default -> end(ctx, CapfReason.NO_PENDING_OPERATION, "");
        }
    }

    private Optional<String> authenticate(ChannelHandlerContext ctx, CapfMessage m) {
        switch (settings.authMode()) {
            case NULL_STRING:
                return Optional.empty();
            case AUTH_STRING:
                if (m.authString().isEmpty()) {
                    return Optional.of("no authentication string given");
                }
                return m.authString().equals(settings.authString()) ? Optional.empty()
                        : Optional.of("wrong authentication string");
            case EXISTING_CERTIFICATE:
            default:
                Optional<X509Certificate> peer = clientCertificate(ctx);
                if (peer.isEmpty()) {
                    return Optional.of("no client certificate presented");
                }
                return authority.isDeviceCertificate(device, peer.get()) ? Optional.empty()
                        : Optional.of("the client certificate is neither this device's LSC nor its MIC: "
                                + peer.get().getSubjectX500Principal().getName());
        }
    }

    private static Optional<X509Certificate> clientCertificate(ChannelHandlerContext ctx) {
        try {
            java.security.cert.Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private void onPublicKey(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.KEY_GEN_RESPONSE || m.publicKey().isEmpty()) {
            end(ctx, CapfReason.BAD_REQUEST, "expected KEY_GEN_RESPONSE with a public key, got " + m.opcode());
            return;
        }
        PublicKey key;
        try {
            key = parseKey(m.publicKey().get());
        } catch (Exception e) {
            end(ctx, CapfReason.KEY_REFUSED, "the public key does not parse");
            return;
        }
        Optional<String> mismatch = keyMismatch(key, settings.key());
        if (mismatch.isPresent()) {
            end(ctx, CapfReason.KEY_REFUSED, mismatch.get());
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
                        end(ctx, CapfReason.STORE_FAILED, "cannot issue the LSC: " + err.getMessage());
                        return;
                    }
                    issued = cert;
                    try {
                        ctx.writeAndFlush(CapfMessage.storeCertRequest(sessionId, cert.getEncoded()));
                    } catch (java.security.cert.CertificateEncodingException e) {
                        end(ctx, CapfReason.STORE_FAILED, e.getMessage());
                        return;
                    }
                    trace("STORE_CERT_REQUEST: LSC serial " + cert.getSerialNumber().toString(16));
                    expect(ctx, Step.STORE_CERT_RESPONSE);
                }));
    }

    static PublicKey parseKey(byte[] spki) throws Exception {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(spki);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (java.security.spec.InvalidKeySpecException e) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    static Optional<String> keyMismatch(PublicKey key, LscKeySpec asked) {
        if (asked.algorithm() == LscKeySpec.Algorithm.RSA) {
            if (!(key instanceof RSAPublicKey r)) {
                return Optional.of("asked for " + asked.describe() + ", got a " + key.getAlgorithm() + " key");
            }
            int bits = r.getModulus().bitLength();
            return bits == asked.size() ? Optional.empty() : Optional.of("asked for " + asked.describe() + ", got RSA " + bits);
        }
        if (!(key instanceof ECPublicKey ec)) {
            return Optional.of("asked for " + asked.describe() + ", got a " + key.getAlgorithm() + " key");
        }
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        return bits == asked.size() ? Optional.empty() : Optional.of("asked for " + asked.describe() + ", got EC P-" + bits);
    }

    private void onConfirmation(ChannelHandlerContext ctx, CapfMessage m, CapfOpcode expected, Optional<X509Certificate> cert) {
        if (m.opcode() != expected) {
            end(ctx, CapfReason.BAD_REQUEST, "expected " + expected + ", got " + m.opcode());
            return;
        }
        int reason = m.reason().orElse(0);
        if (reason != CapfReason.OK.code()) {
            end(ctx, CapfReason.OK, "the phone reports " + CapfReason.describe(reason) + "; nothing recorded");
            return;
        }
        complete(ctx, cert);
    }

    private void onFetched(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.FETCH_RESPONSE) {
            end(ctx, CapfReason.BAD_REQUEST, "expected FETCH_RESPONSE, got " + m.opcode());
            return;
        }
        Optional<X509Certificate> cert = Optional.empty();
        Optional<byte[]> der = m.certificateDer();
        if (der.isPresent() && der.get().length > 0) {
            try {
                cert = Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der.get())));
            } catch (Exception e) {
                end(ctx, CapfReason.BAD_REQUEST, "the phone's certificate does not parse");
                return;
            }
        }
        complete(ctx, cert);
    }

    private void complete(ChannelHandlerContext ctx, Optional<X509Certificate> cert) {
        step = Step.WORKING;
        CapfOperation op = settings.operation();
        String name = device;
        CompletableFuture.runAsync(() -> authority.completed(name, op, cert), worker)
                .whenComplete((v, err) -> ctx.executor().execute(() -> {
                    if (step == Step.DONE) {
                        return;
                    }
                    if (err != null) {
                        end(ctx, CapfReason.STORE_FAILED, "cannot record the operation: " + err.getMessage());
                    } else {
                        end(ctx, CapfReason.OK, op.text() + " done");
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
