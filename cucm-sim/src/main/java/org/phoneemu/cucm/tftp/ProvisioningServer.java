package org.phoneemu.cucm.tftp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.net.internal.ServerSupport;
import org.phoneemu.net.BoundedHttp;
import org.phoneemu.net.HttpLimits;

/**
 * The TFTP service's HTTP side (docs/PROTOCOLS.md §4): the same directory as the node's TFTP server, over plain HTTP
 * (port 6970) and over HTTPS (6971, with the node's provisioning certificate). Over HTTPS a request for
 * {@code SEP<MAC>.cnf.xml.sgn} is answered with the unsigned {@code SEP<MAC>.cnf.xml}, as usecallmanager.nz describes
 * the phone's expectation. GET and HEAD only; each request and its answer is one trace line of the TFTP service.
 * HTTP is bounded like the web pages ({@link BoundedHttp}), HTTPS the same way behind TLS
 * ({@link ServerSupport#https}: one request at a time, a client that does not read its answers is cut).
 */
public final class ProvisioningServer {
    private static final Pattern SIGNED_DEVICE_CONFIG = Pattern.compile("SEP[0-9A-F]{12}\\.cnf\\.xml\\.sgn", Pattern.CASE_INSENSITIVE);

    private final EventLoopGroup group;
    private final Supplier<TftpDirectory> files;
    private final Consumer<String> trace;
    private volatile Channel http;
    private volatile Channel https;
    private volatile BoundedHttp httpsServer;

    /** @param trace one line per request (the TFTP service's trace) */
    public ProvisioningServer(EventLoopGroup group, Supplier<TftpDirectory> files, Consumer<String> trace) {
        this.group = group;
        this.files = files;
        this.trace = trace;
    }

    /** The limits of the HTTP side: a GET of a file, 10 s to the headers, 30 s idle, 256 connections, 64 per address. */
    public static HttpLimits httpLimits() {
        return HttpLimits.web().withTimeouts(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(30));
    }

    /** Binds plain HTTP on {@code where}. */
    public CompletableFuture<InetSocketAddress> bindHttp(InetSocketAddress where, HttpLimits limits) {
        BoundedHttp server = BoundedHttp.on(group, limits, "HTTP provisioning", p -> p.addLast("files", new Files("HTTP", false)));
        ChannelFuture f = server.bootstrap().bind(where);
        http = f.channel();
        return ServerSupport.bound(f, "HTTP provisioning", where);
    }

    /** Binds HTTPS on {@code where} with {@code tls} (read anew per connection, so a regenerated certificate is seen). */
    public CompletableFuture<InetSocketAddress> bindHttps(InetSocketAddress where, Supplier<SslContext> tls, ConnectionLimits limits) {
        BoundedHttp server = ServerSupport.https(group, tls, limits, 16 * 1024, "HTTPS provisioning",
                p -> p.addLast("files", new Files("HTTPS", true)));
        ChannelFuture f = server.bootstrap().bind(where);
        httpsServer = server;
        https = f.channel();
        return ServerSupport.bound(f, "HTTPS provisioning", where);
    }

    /** HTTPS connections open now (for the tests). */
    public int openHttpsConnections() {
        BoundedHttp s = httpsServer;
        return s == null ? 0 : s.openConnections();
    }

    public CompletableFuture<Void> close() {
        return CompletableFuture.allOf(ServerSupport.closed(http), ServerSupport.closed(https));
    }

    /**
     * The file a request for {@code name} gets: over HTTPS a device's signed config is served unsigned. Names match
     * ignoring case, as over TFTP.
     */
    public static Optional<TftpFile> lookup(TftpDirectory dir, String name, boolean secure) {
        if (secure && SIGNED_DEVICE_CONFIG.matcher(name).matches()) {
            return dir.get(name.substring(0, name.length() - ".sgn".length()));
        }
        return dir.get(name);
    }

    private final class Files extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String scheme;
        private final boolean secure;

        Files(String scheme, boolean secure) {
            this.scheme = scheme;
            this.secure = secure;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            String name = path.startsWith("/") ? path.substring(1) : path;
            FullHttpResponse res;
            if (!req.decoderResult().isSuccess()) {
                res = text(HttpResponseStatus.BAD_REQUEST);
            } else if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
                res = text(HttpResponseStatus.METHOD_NOT_ALLOWED);
            } else {
                Optional<TftpFile> file = FileNames.safe(name) ? lookup(files.get(), name, secure) : Optional.empty();
                res = file.map(f -> body(f.bytes(), HttpMethod.HEAD.equals(req.method()))).orElseGet(() -> text(HttpResponseStatus.NOT_FOUND));
            }
            trace.accept(scheme + " " + TftpServer.address((InetSocketAddress) ctx.channel().remoteAddress()) + " " + req.method() + " /"
                    + FileNames.forTrace(name) + " -> "
                    + res.status().code() + (res.status().code() == 200 ? " " + res.headers().get(HttpHeaderNames.CONTENT_LENGTH) + " bytes" : ""));
            boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
            HttpUtil.setKeepAlive(res, keepAlive);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static FullHttpResponse body(byte[] bytes, boolean head) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }

    private static FullHttpResponse text(HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status.reasonPhrase() + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }
}
