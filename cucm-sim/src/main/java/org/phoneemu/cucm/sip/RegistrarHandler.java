package org.phoneemu.cucm.sip;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.phoneemu.core.sip.DeviceTlInfo;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.net.RequestDeadline;
import org.phoneemu.sip.codec.SipCodecException;
import org.phoneemu.sip.codec.SipMessage;

/**
 * One connection to a node's registrar: each REGISTER is judged by {@link RegistrarRules} and answered, a REFER carrying a
 * DeviceTLInfo alarm is kept; the rest is refused.
 */
final class RegistrarHandler extends SimpleChannelInboundHandler<SipMessage> {
    private final String node;
    private final SipTransport transport;
    private final RegistrarDirectory directory;
    private final Registrations registrations;
    private final Consumer<String> trace;
    private final DigestGate digest;

    RegistrarHandler(String node, SipTransport transport, RegistrarDirectory directory, Registrations registrations,
                     Consumer<String> trace, DigestGate digest) {
        super(SipMessage.class);
        this.digest = digest;
        this.node = node;
        this.transport = transport;
        this.directory = directory;
        this.registrations = registrations;
        this.trace = trace;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipMessage message) {
        if (!(message instanceof SipMessage.Request request)) {
            // A response to nothing this registrar sent: ignored; the time to send a request runs on.
            RequestDeadline.resume(ctx.pipeline());
            return;
        }
        String peer = String.valueOf(ctx.channel().remoteAddress());
        if (request.method().equals("REFER")) {
            ctx.writeAndFlush(alarm(request, peer));
            return;
        }
        if (!request.method().equals("REGISTER")) {
            ctx.writeAndFlush(RegistrarAnswer.of(request, 405, "Method Not Allowed", "", Optional.empty(), node, directory.now()));
            return;
        }
        java.util.List<X509Certificate> cert = transport == SipTransport.TLS ? clientChain(ctx) : java.util.List.of();
        RegistrarRules.Decision d = RegistrarRules.decide(request, transport, cert, cipherSuite(ctx), directory);
        if (d instanceof RegistrarRules.Decision.Accept a && RegistrarRules.isKeepAlive(request)) {
            // A backup CallManager's keep-alive: the connection stays warm, nothing is registered here; CUCM challenges
            // every request of a digest device but keep-alives (docs/SIP.md §12).
            trace.accept("SIP REGISTER from " + peer + " over " + transport + ": keep-alive from " + a.device().deviceName()
                    + " (not registered here)");
            keepOpen(ctx);
            ctx.writeAndFlush(RegistrarAnswer.keepAlive(request, node, directory.now()));
            return;
        }
        if (d instanceof RegistrarRules.Decision.Accept a && a.device().digest().isPresent()) {
            DigestGate.Verdict v = digest.check(request, a.device().deviceName(), a.device().digest().get(), directory.now());
            if (v instanceof DigestGate.Verdict.Challenge c) {
                trace.accept("SIP REGISTER from " + peer + " over " + transport + " (" + a.device().deviceName() + "): 401 Unauthorized, "
                        + (c.challenge().stale() ? "stale " : "") + "nonce issued (" + c.why() + ")");
                ctx.writeAndFlush(RegistrarAnswer.unauthorized(request, c.challenge(), node, directory.now()));
                return;
            }
        }
        if (d instanceof RegistrarRules.Decision.Accept a) {
            String contact = request.header("Contact").orElse("");
            registrations.put(new SipRegistration(a.device().deviceName(), node, transport,
                    directory.now().plus(directory.keepAliveExpires()), contact, cert.stream().findFirst()));
            trace.accept("SIP REGISTER from " + peer + " over " + transport + ": " + a.device().deviceName()
                    + (a.device().digest().isPresent() ? " (digest user " + a.device().digest().get().user() + ")" : "")
                    + " registered, expires " + directory.keepAliveExpires().toSeconds() + " s");
            keepOpen(ctx);
            ctx.writeAndFlush(RegistrarAnswer.of(request, d, node, directory.now(), directory.keepAliveExpires()));
        } else {
            RegistrarRules.Decision.Refuse r = (RegistrarRules.Decision.Refuse) d;
            trace.accept("SIP REGISTER from " + peer + " over " + transport + " (" + RegistrarRules.deviceName(request).orElse("no device name")
                    + "): " + r.status() + " " + r.reason() + (r.warning().isEmpty() ? "" : " \"" + r.warning() + "\""));
            ctx.writeAndFlush(RegistrarAnswer.of(request, d, node, directory.now(), directory.keepAliveExpires()));
        }
    }

    /**
     * A registered phone keeps its connection and renews on it every keep-alive interval less the SIP profile's delta
     * (115 s): from now on the next request on this connection is due within {@link RegistrarRules#registeredIdle},
     * not the request deadline of a fresh connection. Set before the answer is written (its write arms it).
     */
    private void keepOpen(ChannelHandlerContext ctx) {
        ChannelHandlerContext deadline = ctx.pipeline().context(RequestDeadline.class);
        if (deadline == null || registeredConnection) {
            return;
        }
        registeredConnection = true;
        String peer = String.valueOf(ctx.channel().remoteAddress());
        java.time.Duration idle = RegistrarRules.registeredIdle(directory.keepAliveExpires());
        ctx.pipeline().replace(deadline.name(), deadline.name(), new RequestDeadline(idle,
                c -> trace.accept("SIP: closing the connection from " + peer + ": no REGISTER within "
                        + idle.toSeconds() + " s of the last answer")));
    }

    /** This connection registered a device (or kept a backup warm): its deadline is the registered one. */
    private boolean registeredConnection;

    /**
     * A REFER carrying a DeviceTLInfo alarm (docs/SIP.md §11): kept beside the ITL its TFTP server serves now and traced
     * with both hashes; 202 Accepted (guessed: RFC 3515's answer). Another REFER body is refused (415), an alarm for a
     * device this cluster does not have is 404.
     */
    private SipMessage.Response alarm(SipMessage.Request request, String peer) {
        boolean alarmBody = request.header("Content-Type").map(t -> t.strip().toLowerCase(Locale.ROOT).startsWith(DeviceTlInfo.CONTENT_TYPE))
                .orElse(false);
        Optional<DeviceTlInfo> info = alarmBody ? DeviceTlInfo.parse(new String(request.body(), StandardCharsets.UTF_8)) : Optional.empty();
        if (info.isEmpty()) {
            trace.accept("SIP REFER from " + peer + " over " + transport + ": 415 Unsupported Media Type (not a DeviceTLInfo alarm)");
            return answer(request, 415, "Unsupported Media Type", "", Optional.empty());
        }
        DeviceTlInfo a = info.get();
        if (directory.device(a.deviceName()).isEmpty()) {
            trace.accept("SIP REFER from " + peer + " over " + transport + ": DeviceTLInfo from " + a.deviceName()
                    + ", a device this cluster does not have: 404 Not Found");
            return answer(request, 404, "Not Found", "", Optional.empty());
        }
        Optional<byte[]> served = directory.servedItl(a.itlTftpServer());
        TrustListReport report = new TrustListReport(a, directory.now(), served.map(b -> hash("SHA-1", b)), served.map(b -> hash("MD5", b)));
        registrations.put(report);
        trace.accept("SIP REFER from " + peer + " over " + transport + ": " + report.describe());
        return answer(request, 202, "Accepted", "", Optional.empty());
    }

    private static String hash(String algorithm, byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(algorithm).digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response to {@code request} (RegistrarAnswer: the registrar's one answer builder). */
    private SipMessage.Response answer(SipMessage.Request request, int status, String reason, String warning, Optional<String> contact) {
        return RegistrarAnswer.of(request, status, reason, warning, contact, node, directory.now());
    }

    /** The suite the TLS connection negotiated; empty over TCP. */
    private static Optional<String> cipherSuite(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return ssl == null ? Optional.empty() : Optional.of(ssl.engine().getSession().getCipherSuite());
    }

    /** The client's certificate and what it sent after it (a MIC's intermediate), or none. */
    private static java.util.List<X509Certificate> clientChain(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return java.util.List.of();
        }
        try {
            java.util.List<X509Certificate> out = new java.util.ArrayList<>();
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                if (!(c instanceof X509Certificate x)) {
                    return java.util.List.of();
                }
                out.add(x);
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return java.util.List.of();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SipCodecException e) {
            trace.accept("SIP: closing the connection from " + ctx.channel().remoteAddress() + ": " + e.getMessage());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
