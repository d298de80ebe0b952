package org.phoneemu.cucm.tvs;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.net.RateLimitedLog;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.frame.TvsFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one phone's TVS requests. The trace lines are CUCM's TVS trace (seeds 001/003, docs/TRUST-RULES.md Sources):
 * {@code MsgType : TVS_MSG_CERT_VERIFICATION_REQ}, {@code tvsGetIssuerNameFromX509 - issuerName : … and Length: …},
 * {@code CertificateDBCACHE::getCertificateInformation - Certificate found and equal}, and so on.
 */
final class TvsRequestHandler extends SimpleChannelInboundHandler<TvsFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(TvsRequestHandler.class);
    static final String VERIFY_REQ = "     MsgType                : TVS_MSG_CERT_VERIFICATION_REQ";
    static final String VERIFY_RES = "     MsgType                : TVS_MSG_CERT_VERIFICATION_RES";
    // The seeds show no QUERY trace; these follow the VERIFY lines' pattern.
    static final String QUERY_REQ = "     MsgType                : TVS_MSG_CERT_QUERY_REQ";
    static final String QUERY_RES = "     MsgType                : TVS_MSG_CERT_QUERY_RES";
    static final String CACHE = "CertificateDBCACHE::getCertificateInformation - ";
    /** Our wording (no trace of it is public), after {@link #CACHE}, then the end date. */
    static final String EXPIRED = "Certificate found and equal but expired on ";

    private final Supplier<CertificateStore> store;
    private final Supplier<Duration> ttl;
    private final Clock clock;
    private final Consumer<String> trace;
    private final Noise noise;

    /**
     * What any client can trigger at will, logged at WARN once per interval for the whole server and then summarised
     * (an attack sent 60,000 malformed frames and resets).
     */
    static final class Noise {
        final RateLimitedLog malformed = new RateLimitedLog(LOG, "malformed TVS frames");
        final RateLimitedLog broken = new RateLimitedLog(LOG, "TVS connection errors");
    }

    TvsRequestHandler(Supplier<CertificateStore> store, Supplier<Duration> ttl, Clock clock, Consumer<String> trace) {
        this(store, ttl, clock, trace, new Noise());
    }

    TvsRequestHandler(Supplier<CertificateStore> store, Supplier<Duration> ttl, Clock clock, Consumer<String> trace, Noise noise) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
        this.trace = trace;
        this.noise = noise;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                trace.accept(peer(ctx) + ": tvsSSLHandShake Session ciphers - " + opensslName(ssl.engine().getSession().getCipherSuite()));
                trace.accept("TLS HS Done for ph_conn .");
            } else {
                trace.accept(peer(ctx) + ": tvsSSLHandShake failed - " + hs.cause().getMessage());
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TvsFrame frame) {
        switch (frame.command()) {
            case VERIFY_REQUEST -> ctx.writeAndFlush(verifyOrUnknown(frame));
            case QUERY_REQUEST -> ctx.writeAndFlush(query(frame));
            default -> {
                String m = "unexpected " + frame.command() + " from a client (session " + frame.sessionId() + "); closing the connection";
                trace.accept(peer(ctx) + ": " + m);
                noise.malformed.warn(peer(ctx), "TVS " + peer(ctx) + ": " + m);
                ctx.close();
            }
        }
    }

    /** A certificate the server cannot judge (whatever the reason) is answered status 1, never with a hang-up. */
    TvsFrame verifyOrUnknown(TvsFrame request) {
        try {
            return verify(request);
        } catch (RuntimeException e) {
            trace.accept("tvsGetIssuerNameFromX509 - cannot read the certificate: " + e.getMessage());
            trace.accept(VERIFY_RES);
            return TvsFrame.verifyResponseInvalid(request.sessionId(), TvsFrame.STATUS_INVALID);
        }
    }

    TvsFrame verify(TvsFrame request) {
        trace.accept(VERIFY_REQ);
        long session = request.sessionId();
        Optional<X509Certificate> cert = request.certificate().flatMap(Certificates::parse);
        if (cert.isEmpty()) {
            trace.accept(request.certificate().isPresent() ? "tvsGetIssuerNameFromX509 - cannot parse the certificate"
                    : "tvsGetIssuerNameFromX509 - no certificate in the request");
            trace.accept(VERIFY_RES);
            return TvsFrame.verifyResponseInvalid(session, TvsFrame.STATUS_INVALID);
        }
        String issuer = DistinguishedNames.format(cert.get().getIssuerX500Principal(), NameStyle.CUCM);
        trace.accept("tvsGetIssuerNameFromX509 - issuerName : " + issuer + " and Length: " + issuer.length());
        TvsFrame response;
        CertificateStore.Lookup lookup = store.get().lookup(cert.get());
        if (lookup instanceof CertificateStore.Lookup.FoundEqual found && org.phoneemu.core.pki.Certificates.expired(cert.get(), clock.instant())) {
            // What CUCM's TVS answers for its own certificate past its end date is not documented: the answer it gives
            // any certificate it cannot vouch for (docs/TRUST-RULES.md §12 rule 7, assumed).
            trace.accept(CACHE + "Certificate compare return =0");
            trace.accept(CACHE + EXPIRED + cert.get().getNotAfter().toInstant());
            response = TvsFrame.verifyResponseInvalid(session, TvsFrame.STATUS_INVALID);
        } else if (lookup instanceof CertificateStore.Lookup.FoundEqual found) {
            trace.accept(CACHE + "Certificate compare return =0");
            trace.accept(CACHE + "Certificate found and equal");
            response = TvsFrame.verifyResponse(session, TvsFrame.STATUS_VALID, found.entry().roles(),
                    OptionalLong.of(ttl.get().toSeconds()));
        } else if (lookup instanceof CertificateStore.Lookup.FoundDifferent) {
            trace.accept(CACHE + "Certificate compare return =1");
            trace.accept(CACHE + "Certificate found but not equal");
            response = TvsFrame.verifyResponseInvalid(session, TvsFrame.STATUS_INVALID);
        } else {
            trace.accept(CACHE + "Certificate not found");
            response = TvsFrame.verifyResponseInvalid(session, TvsFrame.STATUS_INVALID);
        }
        trace.accept(VERIFY_RES);
        return response;
    }

    TvsFrame query(TvsFrame request) {
        trace.accept(QUERY_REQ);
        CertificateStore s = store.get();
        Optional<CertificateStore.Entry> found = Optional.empty();
        if (request.issuerName().isPresent() && request.serialNumber().isPresent()) {
            found = s.find(request.issuerName().get(), new BigInteger(1, request.serialNumber().get()));
        } else if (request.subjectName().isPresent()) {
            found = s.findBySubject(request.subjectName().get());
        }
        trace.accept(CACHE + (found.isPresent() ? "Certificate found" : "Certificate not found"));
        trace.accept(QUERY_RES);
        return found.map(e -> TvsFrame.queryResponse(request.sessionId(), TvsFrame.STATUS_VALID, Optional.of(Certificates.der(e.certificate()))))
                .orElseGet(() -> TvsFrame.queryResponse(request.sessionId(), TvsFrame.STATUS_INVALID, Optional.empty()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof TvsFrameException bad) {
            String m = "malformed TVS frame (" + bad.getMessage() + "); closing the connection";
            trace.accept(peer(ctx) + ": " + m);
            noise.malformed.warn(peer(ctx), "TVS " + peer(ctx) + ": " + m);
        } else if (c instanceof javax.net.ssl.SSLException || c.getCause() instanceof javax.net.ssl.SSLException) {
            LOG.debug("TVS {}: TLS failed: {}", peer(ctx), c.getMessage());
        } else {
            noise.broken.warn(peer(ctx), "TVS " + peer(ctx) + ": closing the connection after " + c);
        }
        ctx.close();
    }

    static String peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    /** The suite as CUCM's OpenSSL-based TVS names it in its trace ({@code AES256-SHA}, seed 003); other suites as the JDK names them. */
    static String opensslName(String jdkName) {
        return switch (jdkName) {
            case "TLS_RSA_WITH_AES_256_CBC_SHA" -> "AES256-SHA";
            case "TLS_RSA_WITH_AES_128_CBC_SHA" -> "AES128-SHA";
            case "TLS_RSA_WITH_AES_256_GCM_SHA384" -> "AES256-GCM-SHA384";
            case "TLS_RSA_WITH_AES_128_GCM_SHA256" -> "AES128-GCM-SHA256";
            case "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" -> "ECDHE-RSA-AES256-GCM-SHA384";
            case "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" -> "ECDHE-RSA-AES128-GCM-SHA256";
            default -> jdkName;
        };
    }
}
