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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.phoneemu.cucm.config.DirectoryEntry;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.net.internal.ServerSupport;
import org.phoneemu.net.BoundedHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's tomcat: HTTPS with the node's tomcat certificate serving the directory menu
 * ({@code /ccmcip/xmldirectory.jsp}, a {@code CiscoIPPhoneMenu}), its Corporate Directory search page
 * ({@code /ccmcip/xmldirectoryinput.jsp?name=SEP…}, a {@code CiscoIPPhoneInput}), the search's answer
 * ({@code /ccmcip/xmldirectorylist.jsp}, a {@code CiscoIPPhoneDirectory}) and the services menu
 * ({@code /ccmcip/getservicesmenu.jsp}). The phone checks this certificate through TVS (docs/TRUST-RULES.md §7).
 */
public final class DirectoryServer {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryServer.class);
    public static final String DIRECTORY_PATH = "/ccmcip/xmldirectory.jsp";
    public static final String INPUT_PATH = "/ccmcip/xmldirectoryinput.jsp";
    public static final String LIST_PATH = "/ccmcip/xmldirectorylist.jsp";
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

    /** The XML page the server sends for {@code path}, without a query ({@code host}: the request's Host header); empty: 404. */
    public static java.util.Optional<String> page(String path, String host, List<DirectoryEntry> entries) {
        return page(path, Map.of(), host, entries);
    }

    /**
     * The XML page the server sends for {@code path} and its query parameters ({@code host}: the request's Host
     * header); empty: 404.
     */
    public static java.util.Optional<String> page(String path, Map<String, List<String>> query, String host, List<DirectoryEntry> entries) {
        return switch (path) {
            case DIRECTORY_PATH -> java.util.Optional.of(menuXml(host));
            case INPUT_PATH -> java.util.Optional.of(inputXml(host));
            case LIST_PATH -> java.util.Optional.of(directoryXml(search(entries, first(query, "f"), first(query, "l"), first(query, "n"))));
            case SERVICES_PATH -> java.util.Optional.of(servicesXml(host));
            default -> java.util.Optional.empty();
        };
    }

    /** The Directories menu: one item, the Corporate Directory's search page (the phone adds its name to it). */
    static String menuXml(String host) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CiscoIPPhoneMenu>\n  <Title>Directories</Title>\n"
                + "  <Prompt>Select a directory</Prompt>\n  <MenuItem>\n    <Name>Corporate Directory</Name>\n    <URL>https://"
                + escape(host) + INPUT_PATH + "</URL>\n  </MenuItem>\n</CiscoIPPhoneMenu>\n";
    }

    /** The Corporate Directory's search form: first name, last name, number; the answer comes from the list page. */
    static String inputXml(String host) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CiscoIPPhoneInput>\n  <Title>Corporate Directory</Title>\n"
                + "  <Prompt>Enter search criteria</Prompt>\n  <URL>https://" + escape(host) + LIST_PATH + "</URL>\n"
                + inputItem("First Name", "f", "A") + inputItem("Last Name", "l", "A") + inputItem("Number", "n", "T")
                + "</CiscoIPPhoneInput>\n";
    }

    private static String inputItem(String prompt, String name, String flags) {
        return "  <InputItem>\n    <DisplayName>" + prompt + "</DisplayName>\n    <QueryStringParam>" + name
                + "</QueryStringParam>\n    <DefaultValue></DefaultValue>\n    <InputFlags>" + flags + "</InputFlags>\n  </InputItem>\n";
    }

    /** Entries whose name contains the first and last name given and whose number starts with the number given. */
    static List<DirectoryEntry> search(List<DirectoryEntry> entries, String first, String last, String number) {
        return entries.stream().filter(e -> contains(e.name(), first) && contains(e.name(), last) && e.telephone().startsWith(number)).toList();
    }

    private static boolean contains(String s, String part) {
        return s.toLowerCase(java.util.Locale.ROOT).contains(part.toLowerCase(java.util.Locale.ROOT));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    static String servicesXml(String host) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CiscoIPPhoneMenu>\n  <Title>Services</Title>\n"
                + "  <Prompt>Select a service</Prompt>\n  <MenuItem>\n    <Name>Corporate Directory</Name>\n    <URL>https://"
                + escape(host) + DIRECTORY_PATH + "</URL>\n  </MenuItem>\n</CiscoIPPhoneMenu>\n";
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            FullHttpResponse res;
            if (!req.decoderResult().isSuccess()) {
                res = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
            } else if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
                res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n");
            } else {
                String host = req.headers().get(HttpHeaderNames.HOST, bindAddress.getAddress().getHostAddress());
                res = page(path, uri.parameters(), host, directory.get()).map(DirectoryServer::xml)
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
