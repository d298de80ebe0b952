package org.phoneemu.cucm.https;

import static org.phoneemu.core.text.XmlText.escape;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.phoneemu.cucm.config.DirectoryEntry;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.net.ServerSupport;
import org.phoneemu.net.BoundedHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's tomcat: HTTPS with the node's tomcat certificate serving the corporate directory
 * ({@code /ccmcip/xmldirectory.jsp}, a {@code CiscoIPPhoneDirectory}) and the services menu
 * ({@code /ccmcip/getservicesmenu.jsp}). The phone checks this certificate through TVS (docs/TRUST-RULES.md §7).
 */
public final class DirectoryServer {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryServer.class);
    public static final String DIRECTORY_PATH = "/ccmcip/xmldirectory.jsp";
    public static final String SERVICES_PATH = "/ccmcip/getservicesmenu.jsp";

    private final EventLoopGroup group;
    private final InetSocketAddress bindAddress;
    private final Supplier<SslContext> tls;
    private final Supplier<List<DirectoryEntry>> directory;
    private final ConnectionLimits limits;
    private volatile Channel channel;
    private volatile BoundedHttp server;

    public DirectoryServer(EventLoopGroup group, InetSocketAddress bindAddress, Supplier<SslContext> tls,
                           Supplier<List<DirectoryEntry>> directory) {
        this(group, bindAddress, tls, directory, ConnectionLimits.defaults());
    }

    /** @param limits handshake and request deadlines, connection caps */
    public DirectoryServer(EventLoopGroup group, InetSocketAddress bindAddress, Supplier<SslContext> tls,
                           Supplier<List<DirectoryEntry>> directory, ConnectionLimits limits) {
        this.limits = limits;
        this.group = group;
        this.bindAddress = bindAddress;
        this.tls = tls;
        this.directory = directory;
    }

    public CompletableFuture<InetSocketAddress> bind() {
        server = ServerSupport.https(group, tls, limits, 16 * 1024, "HTTPS", p -> p.addLast("handler", new Handler()));
        var f = server.bootstrap().bind(bindAddress);
        channel = f.channel();
        return ServerSupport.bound(f, "HTTPS", bindAddress);
    }

    /** Connections open now (for the tests). */
    public int openConnections() {
        BoundedHttp s = server;
        return s == null ? 0 : s.openConnections();
    }

    public CompletableFuture<Void> close() {
        return ServerSupport.closed(channel);
    }

    /** The directory as a CiscoIPPhoneDirectory XML object. */
    public static String directoryXml(List<DirectoryEntry> entries) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CiscoIPPhoneDirectory>\n");
        x.append("  <Title>Corporate Directory</Title>\n  <Prompt>Records 1 to ").append(entries.size()).append(" of ")
                .append(entries.size()).append("</Prompt>\n");
        for (DirectoryEntry e : entries) {
            x.append("  <DirectoryEntry>\n    <Name>").append(escape(e.name())).append("</Name>\n    <Telephone>")
                    .append(escape(e.telephone())).append("</Telephone>\n  </DirectoryEntry>\n");
        }
        return x.append("</CiscoIPPhoneDirectory>\n").toString();
    }

    /** The XML page the server sends for {@code path} ({@code host}: the request's Host header); empty: 404. */
    public static java.util.Optional<String> page(String path, String host, List<DirectoryEntry> entries) {
        if (DIRECTORY_PATH.equals(path)) {
            return java.util.Optional.of(directoryXml(entries));
        }
        if (SERVICES_PATH.equals(path)) {
            return java.util.Optional.of(servicesXml(host));
        }
        return java.util.Optional.empty();
    }

    static String servicesXml(String host) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CiscoIPPhoneMenu>\n  <Title>Services</Title>\n"
                + "  <Prompt>Select a service</Prompt>\n  <MenuItem>\n    <Name>Corporate Directory</Name>\n    <URL>https://"
                + escape(host) + DIRECTORY_PATH + "</URL>\n  </MenuItem>\n</CiscoIPPhoneMenu>\n";
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            FullHttpResponse res;
            if (!req.decoderResult().isSuccess()) {
                res = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
            } else if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
                res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n");
            } else {
                String host = req.headers().get(HttpHeaderNames.HOST, bindAddress.getAddress().getHostAddress());
                res = page(path, host, directory.get()).map(DirectoryServer::xml)
                        .orElseGet(() -> text(HttpResponseStatus.NOT_FOUND, "not found\n"));
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
            HttpUtil.setKeepAlive(res, keepAlive);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("HTTPS {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private static FullHttpResponse xml(String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/xml; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }
}
