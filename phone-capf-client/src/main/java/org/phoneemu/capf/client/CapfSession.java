package org.phoneemu.capf.client;

import org.phoneemu.core.text.TerminalText;
import static org.phoneemu.tls.client.TlsFailures.rootMessage;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.phoneemu.capf.api.CapfFlash;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.api.CapfRequest;
import org.phoneemu.capf.wire.CapfCertificate;
import org.phoneemu.capf.wire.CapfMessage;
import org.phoneemu.capf.wire.CapfOpcode;
import org.phoneemu.capf.wire.CapfProof;
import org.phoneemu.capf.wire.CapfReason;
import org.phoneemu.capf.wire.CapfSignature;
import org.phoneemu.capf.wire.CapfTag;
import org.phoneemu.capf.wire.CapfWireException;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.CapfSignedData;
import org.phoneemu.core.capf.IssuedLscCheck;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.tls.client.TrustGate;

/**
 * One try of a CAPF session on one connection (docs/CAPF.md §2). The server's certificate goes through the phone's
 * {@link TrustGate} right after the handshake: nothing is written before it says yes. Then the session answers the
 * server one step at a time; keys are made and certificates checked on the worker executor.
 *
 * <p>The flash changes only once the whole exchange is valid: an issued LSC (or a delete) is held in memory, confirmed
 * to the server, and written only when the server's END_SESSION 1 arrives. Anything else after the confirmation (a
 * close, a second request, garbage, another reason) leaves the flash as it was, and the outcome says so.
 */
final class CapfSession extends SimpleChannelInboundHandler<CapfMessage> {
    /** What one try ended with: a final outcome, or a communication failure worth another try (after a delay). */
    record Attempt(Optional<CapfOutcome> outcome, String failure, Optional<Duration> retryAfter) {
        static Attempt done(CapfOutcome o) {
            return new Attempt(Optional.of(o), null, Optional.empty());
        }

        static Attempt failed(String why) {
            return new Attempt(Optional.empty(), why, Optional.empty());
        }

        static Attempt retryLater(String why, Duration after) {
            return new Attempt(Optional.empty(), why, Optional.of(after));
        }
    }

    private enum Step { HANDSHAKE, DECIDING, AUTH_REQUEST, OPERATION, WORKING, STORE, END_STORE, END_DELETE, END_FETCH, COMMITTING }

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
    /** Messages that came while the trust decision was pending (read with the handshake's last bytes): kept, not judged. */
    private final java.util.ArrayDeque<CapfMessage> early = new java.util.ArrayDeque<>();
    private static final int MAX_EARLY = 4;
    private long sessionId;
    private X509Certificate serverCert;
    private KeyPair keyPair;
    private LscKeySpec keySpec;
    private KeyMaterial pendingLsc;
    private Optional<X509Certificate> fetched = Optional.empty();
    private ScheduledFuture<?> timer;

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
        if (result.isDone() || step == Step.COMMITTING) {
            return;
        }
        if (step == Step.END_STORE || step == Step.END_DELETE) {
            log.error("SECD: EROR:capfClientSession: the CAPF session broke before the server confirmed the operation (" + why
                    + "); the flash is unchanged");
        } else {
            log.error("SECD: EROR:capfClientSession: CAPF session with <" + ip + "> failed: " + why);
        }
        finish(ctx, Attempt.failed(why));
    }

    private void refuse(ChannelHandlerContext ctx, CapfOutcome.Why why, OptionalInt serverReason, String message) {
        if (result.isDone()) {
            return;
        }
        log.error("SECD: EROR:capfClientSession: " + message);
        finish(ctx, Attempt.done(new CapfOutcome.Refused(why, serverReason, message)));
    }

    /** Tells the server why the phone stops (END_SESSION 7), then refuses. */
    private void refuseWithEnd(ChannelHandlerContext ctx, CapfOutcome.Why why, String message) {
        if (!result.isDone() && sessionId != 0) {
            ctx.writeAndFlush(CapfMessage.endSession(sessionId, CapfReason.INVALID_ELEMENT));
        }
        refuse(ctx, why, OptionalInt.empty(), message);
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

    /** Runs {@code work} on the worker, then {@code then} on the event loop unless the session ended meanwhile. */
    private <T> void onWorker(ChannelHandlerContext ctx, java.util.function.Supplier<T> work,
                              java.util.function.BiConsumer<T, Throwable> then) {
        step = Step.WORKING;
        cancelTimer();
        CompletableFuture.supplyAsync(work, worker).whenComplete((v, err) -> ctx.executor().execute(() -> {
            if (!result.isDone()) {
                then.accept(v, err);
            }
        }));
    }

    // ---- TLS and the gate --------------------------------------------------------------------------------------

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
        if (result.isDone()) {
            return;
        }
        if (!e.isSuccess()) {
            commFailure(ctx, "TLS handshake failed: " + rootMessage(e.cause()));
            return;
        }
        log.notice("SECD: capf_srvr_cert_vfy: CAPF server certificate validation needs to be done, <" + ip + ">");
        step = Step.DECIDING;
        // The server speaks first: stop reading until the phone trusts it (what was read already is kept).
        ctx.channel().config().setAutoRead(false);
        TrustGate.decide(ctx, clock, peer -> CompletableFuture.completedFuture(peer.isPresent() && request.trustedCapf().test(peer.get())),
                verdict -> decided(ctx, verdict));
    }

    private void decided(ChannelHandlerContext ctx, TrustGate.Verdict verdict) {
        if (result.isDone()) {
            return;
        }
        String subject = verdict.peer().map(c -> TerminalText.line(c.getSubjectX500Principal().getName())).orElse("no certificate");
        if (verdict instanceof TrustGate.Verdict.DecisionFailed f) {
            refuse(ctx, CapfOutcome.Why.DECISION_FAILED, OptionalInt.empty(), "capf_srvr_cert_vfy: the trust decision failed ("
                    + rootMessage(f.cause()) + "), closing the connection, <" + ip + "> (" + subject + ")");
            return;
        }
        if (verdict instanceof TrustGate.Verdict.Expired x) {
            refuse(ctx, CapfOutcome.Why.UNTRUSTED_SERVER, OptionalInt.empty(),
                    "capf_srvr_cert_vfy: " + TerminalText.line(x.reason()) + ", closing the connection, <" + ip + ">");
            return;
        }
        if (verdict instanceof TrustGate.Verdict.Refused) {
            refuse(ctx, CapfOutcome.Why.UNTRUSTED_SERVER, OptionalInt.empty(),
                    "capf_srvr_cert_vfy: CAPF cert not found in TL, closing the connection, <" + ip + "> (" + subject + ")");
            return;
        }
        serverCert = verdict.peer().orElseThrow();
        log.notice("SECD: capf_srvr_cert_vfy: CAPF cert verified with the CAPF record of the TL, <" + ip + ">");
        expectWithin(ctx, Step.AUTH_REQUEST);
        while (!early.isEmpty() && !result.isDone()) {
            channelRead0(ctx, early.poll());
        }
        early.clear();
        ctx.channel().config().setAutoRead(true);
    }

    // ---- messages ----------------------------------------------------------------------------------------------

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, CapfMessage m) {
        if (result.isDone() || step == Step.COMMITTING) {
            return;
        }
        if (step == Step.DECIDING && early.size() < MAX_EARLY) {
            early.add(m);
            return;
        }
        if (step == Step.HANDSHAKE || step == Step.DECIDING) {
            commFailure(ctx, "the CAPF server spoke before the phone trusted it (" + m.opcode() + ")");
            return;
        }
        cancelTimer();
        if (step != Step.AUTH_REQUEST && m.sessionId() != sessionId) {
            commFailure(ctx, "session id " + m.sessionId() + " in a " + m.opcode() + ", expected " + sessionId);
            return;
        }
        if (step == Step.WORKING) {
            // The phone has not answered yet: the server may not go on (an END_SESSION or a second request sent along
            // with a STORE_CERTIFICATE_REQUEST is a broken exchange, not a confirmation).
            commFailure(ctx, "unexpected " + m.opcode() + " before the phone answered");
            return;
        }
        switch (step) {
            case AUTH_REQUEST -> onAuthRequest(ctx, m);
            case OPERATION -> onOperation(ctx, m);
            case STORE -> onStore(ctx, m);
            case END_STORE, END_DELETE, END_FETCH -> onEnd(ctx, m);
            default -> commFailure(ctx, "unexpected " + m.opcode() + " while " + step);
        }
    }

    private void onAuthRequest(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.AUTH_REQUEST) {
            commFailure(ctx, "expected AUTH_REQUEST, got " + m.opcode());
            return;
        }
        sessionId = m.sessionId();
        int version = m.version().orElse(CapfMessage.PROTOCOL_VERSION);
        log.notice("SECD: capfProcessAuthReq: CAPF session " + sessionId + ", version " + version + ", server auth type "
                + m.authType().orElse(CapfTag.AUTH_NONE) + "; authenticating " + request.deviceName() + " by " + request.authMode().text());
        if (request.authMode() != CapfAuthMode.EXISTING_CERTIFICATE) {
            ctx.writeAndFlush(CapfMessage.authResponse(sessionId, version, request.deviceName(), request.authString(), Optional.empty()));
            expectWithin(ctx, Step.OPERATION);
            return;
        }
        PhoneIdentity id = request.identity().orElseThrow();
        KeyMaterial cert = id.lsc().orElse(id.mic()); // "Precedence to LSC"
        int type = id.lsc().isPresent() ? CapfTag.CERTIFICATE_LSC : CapfTag.CERTIFICATE_MIC;
        onWorker(ctx, () -> proof(cert, type), (proof, err) -> {
            if (err != null) {
                refuseWithEnd(ctx, CapfOutcome.Why.KEY_REFUSED, "capfProcessAuthReq: cannot sign the certificate proof: " + rootMessage(err));
                return;
            }
            ctx.writeAndFlush(CapfMessage.authResponse(sessionId, version, request.deviceName(), Optional.empty(), Optional.of(proof)));
            expectWithin(ctx, Step.OPERATION);
        });
    }

    private CapfProof proof(KeyMaterial cert, int type) {
        byte[] der;
        try {
            der = cert.certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        CapfSignedData.Signatures s = CapfSignedData.sign(request.deviceName(), der, cert.privateKey());
        return new CapfProof(new CapfCertificate(type, der), s.sha1(), new CapfSignature(CapfTag.HASH_SHA512, s.sha512()));
    }

    private void onOperation(ChannelHandlerContext ctx, CapfMessage m) {
        switch (m.opcode()) {
            case KEY_GENERATE_REQUEST -> onKeyGenerate(ctx, m);
            case FETCH_CERTIFICATE_REQUEST -> {
                Optional<PhoneIdentity> id = request.identity();
                if (id.isEmpty()) {
                    log.notice("SECD: capfProcessFetchReq: the phone holds no certificate to send");
                    ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.FETCH_CERTIFICATE_RESPONSE, sessionId, CapfReason.INVALID_ELEMENT));
                    expectWithin(ctx, Step.END_FETCH);
                    return;
                }
                KeyMaterial k = id.get().lsc().orElse(id.get().mic());
                int type = id.get().lsc().isPresent() ? CapfTag.CERTIFICATE_LSC : CapfTag.CERTIFICATE_MIC;
                log.notice("SECD: capfProcessFetchReq: sending the phone's certificate to CAPF: "
                        + TerminalText.line(k.certificate().getSubjectX500Principal().getName()));
                try {
                    ctx.writeAndFlush(CapfMessage.fetchCertificateResponse(sessionId, new CapfCertificate(type, k.certificate().getEncoded())));
                } catch (CertificateEncodingException e) {
                    commFailure(ctx, "cannot encode the phone's certificate: " + e.getMessage());
                    return;
                }
                fetched = Optional.of(k.certificate());
                expectWithin(ctx, Step.END_FETCH);
            }
            case DELETE_CERTIFICATE_REQUEST -> {
                log.notice("SECD: capfProcessDeleteReq: the LSC will be deleted when CAPF ends the session");
                ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.DELETE_CERTIFICATE_RESPONSE, sessionId, CapfReason.SUCCESS));
                expectWithin(ctx, Step.END_DELETE);
            }
            case RETRY_LATER -> onRetryLater(ctx, m);
            case END_SESSION -> serverEnded(ctx, m);
            default -> commFailure(ctx, "expected a certificate operation, got " + m.opcode());
        }
    }

    private void onRetryLater(ChannelHandlerContext ctx, CapfMessage m) {
        int seconds = m.retryDelay().orElse((int) options.retryDelay().toSeconds());
        Duration after = Duration.ofSeconds(seconds);
        if (after.compareTo(options.maxRetryLater()) > 0) {
            refuse(ctx, CapfOutcome.Why.RETRY_LATER, OptionalInt.empty(), "capfProcessRetryLater: the CAPF server asks to come back in "
                    + seconds + " s, longer than the phone waits (" + options.maxRetryLater().toSeconds() + " s)");
            return;
        }
        log.warn("SECD: capfProcessRetryLater: the CAPF server asks to come back in " + seconds + " s");
        cancelTimer();
        if (result.complete(Attempt.retryLater("the CAPF server asked to retry in " + seconds + " s", after))) {
            ctx.close();
        }
    }

    private void serverEnded(ChannelHandlerContext ctx, CapfMessage m) {
        int reason = m.reason().orElse(-1);
        refuse(ctx, CapfOutcome.Why.SERVER_REFUSED, OptionalInt.of(reason),
                "capfProcessEndSession: the CAPF server ended the session: " + CapfReason.describe(reason));
    }

    private void onKeyGenerate(ChannelHandlerContext ctx, CapfMessage m) {
        int type = m.keyType().orElse(CapfTag.KEY_RSA);
        LscKeySpec.Algorithm alg = type == CapfTag.KEY_EC ? LscKeySpec.Algorithm.EC : LscKeySpec.Algorithm.RSA;
        int size = alg == LscKeySpec.Algorithm.EC ? CapfTag.curveBits(m.curve().orElse(-1)) : m.keySize().orElse(-1);
        if ((type != CapfTag.KEY_RSA && type != CapfTag.KEY_EC) || !LscKeySpec.supported(alg, size)) {
            refuseWithEnd(ctx, CapfOutcome.Why.KEY_REFUSED, "capfProcessKeyGenReq: "
                    + (type != CapfTag.KEY_RSA && type != CapfTag.KEY_EC ? "key type " + type + " is not supported"
                    : alg == LscKeySpec.Algorithm.EC && size < 0 ? "EC curve " + m.curve().orElse(-1) + " is not supported"
                    : LscKeySpec.unsupported(alg, size)));
            return;
        }
        keySpec = new LscKeySpec(alg, size);
        log.notice("SECD: capfProcessKeyGenReq: generating a " + keySpec.describe() + " key pair for the LSC");
        ctx.writeAndFlush(CapfMessage.requestInProgress(sessionId));
        onWorker(ctx, () -> keySpec.generate(random), (kp, err) -> {
            if (err != null) {
                refuseWithEnd(ctx, CapfOutcome.Why.KEY_REFUSED, "capfProcessKeyGenReq: " + rootMessage(err));
                return;
            }
            keyPair = kp;
            ctx.writeAndFlush(CapfMessage.keyGenerateResponse(sessionId, kp.getPublic().getEncoded()));
            log.notice("SECD: capfProcessKeyGenReq: public key sent to CAPF, waiting for the certificate");
            expectWithin(ctx, Step.STORE);
        });
    }

    private void onStore(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() == CapfOpcode.END_SESSION) {
            serverEnded(ctx, m);
            return;
        }
        if (m.opcode() != CapfOpcode.STORE_CERTIFICATE_REQUEST) {
            commFailure(ctx, "expected STORE_CERTIFICATE_REQUEST, got " + m.opcode());
            return;
        }
        Optional<CapfCertificate> c = m.certificate();
        // The checks (a signature verification) run on the worker; until they answer, the server may send nothing.
        onWorker(ctx, () -> check(c), (problem, err) -> {
            if (err != null || problem.isPresent()) {
                ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.STORE_CERTIFICATE_RESPONSE, sessionId, CapfReason.INVALID_ELEMENT));
                refuse(ctx, CapfOutcome.Why.BAD_CERTIFICATE, OptionalInt.empty(), "capfProcessStoreCertReq: LSC refused: "
                        + (err != null ? rootMessage(err) : problem.get()));
                return;
            }
            ctx.writeAndFlush(CapfMessage.withReason(CapfOpcode.STORE_CERTIFICATE_RESPONSE, sessionId, CapfReason.SUCCESS));
            log.notice("SECD: capfProcessStoreCertReq: LSC accepted, installed when CAPF ends the session");
            expectWithin(ctx, Step.END_STORE);
        });
    }

    /** Parses and checks the issued LSC; keeps it (with the new key) for the commit. Runs on the worker. */
    private Optional<String> check(Optional<CapfCertificate> c) {
        if (c.isEmpty() || c.get().type() != CapfTag.CERTIFICATE_LSC) {
            return Optional.of("no LSC in the request");
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(c.get().der()));
        } catch (Exception e) {
            return Optional.of("the LSC does not parse: " + rootMessage(e));
        }
        Optional<String> problem = IssuedLscCheck.problem(cert, request.deviceName(), keyPair.getPublic(), serverCert, clock.instant());
        if (problem.isEmpty()) {
            pendingLsc = new KeyMaterial(keyPair.getPrivate(), cert);
        }
        return problem;
    }

    private void onEnd(ChannelHandlerContext ctx, CapfMessage m) {
        if (m.opcode() != CapfOpcode.END_SESSION) {
            commFailure(ctx, "expected END_SESSION, got " + m.opcode());
            return;
        }
        int reason = m.reason().orElse(-1);
        log.notice("SECD: capfProcessEndSession: CAPF session " + sessionId + " ended: " + CapfReason.describe(reason));
        if (step == Step.END_FETCH) {
            finish(ctx, Attempt.done(new CapfOutcome.Fetched(fetched, tryNumber)));
            return;
        }
        if (reason != CapfReason.SUCCESS.code()) {
            refuse(ctx, CapfOutcome.Why.SERVER_REFUSED, OptionalInt.of(reason), "capfProcessEndSession: the CAPF server did not confirm the "
                    + (step == Step.END_STORE ? "LSC" : "delete") + ": " + CapfReason.describe(reason) + "; the flash is unchanged");
            return;
        }
        boolean install = step == Step.END_STORE;
        step = Step.COMMITTING;
        cancelTimer();
        // The commit point: the server confirmed the whole exchange. The flash is written on the phone's executor.
        CompletableFuture<Void> write = install ? flash.installLsc(pendingLsc) : flash.deleteLsc();
        write.whenComplete((v, err) -> ctx.executor().execute(() -> {
            if (err != null) {
                log.error("SECD: EROR:capfClientSession: cannot write the flash: " + rootMessage(err));
                if (result.complete(Attempt.done(new CapfOutcome.Refused(CapfOutcome.Why.STORE_FAILED, OptionalInt.empty(),
                        "cannot write the flash: " + rootMessage(err))))) {
                    ctx.close();
                }
                return;
            }
            CapfOutcome o;
            if (install) {
                X509Certificate cert = pendingLsc.certificate();
                log.notice("SECD: capfProcessStoreCertReq: LSC installed: " + TerminalText.line(cert.getSubjectX500Principal().getName())
                        + ", serial " + cert.getSerialNumber().toString(16) + ", issuer "
                        + TerminalText.line(cert.getIssuerX500Principal().getName()));
                o = new CapfOutcome.Installed(cert, keySpec, tryNumber);
            } else {
                log.notice("SECD: capfProcessDeleteReq: LSC deleted");
                o = new CapfOutcome.Deleted(tryNumber);
            }
            if (result.complete(Attempt.done(o))) {
                ctx.close();
            }
        }));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        commFailure(ctx, "the CAPF server closed the connection");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CapfWireException || cause.getCause() instanceof CapfWireException) {
            commFailure(ctx, "malformed message from the CAPF server: " + rootMessage(cause));
        } else {
            commFailure(ctx, rootMessage(cause));
        }
    }
}
