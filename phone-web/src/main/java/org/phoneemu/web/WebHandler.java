package org.phoneemu.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Netty's side: turns a request into a {@link WebRequest} on the event loop (cheap), hands it to a worker, and
 * writes the response when the worker is done. Admin commands get their own thread so a slow key generation does
 * not hold up the pages.
 */
final class WebHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Content-Security-Policy: only the jar's own script and style; no inline script can run even if one slipped in. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final int MAX_PARAMS = 32;

    private final WebRoutes routes;
    private final Executor pages;
    private final Executor admin;

    WebHandler(WebRoutes routes, Executor pages, Executor admin) {
        this.routes = routes;
        this.pages = pages;
        this.admin = admin;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        boolean head = msg.method().equals(HttpMethod.HEAD);
        if (!msg.decoderResult().isSuccess()) {
            write(ctx, WebResponse.text(HttpResponseStatus.BAD_REQUEST, "phone-emu: bad request"), false, false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(msg.uri(), StandardCharsets.UTF_8, true, MAX_PARAMS);
        Map<String, List<String>> form = Map.of();
        String type = msg.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (msg.method().equals(HttpMethod.POST) && type.startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString())) {
            form = new QueryStringDecoder(msg.content().toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false, MAX_PARAMS).parameters();
        }
        WebRequest req = new WebRequest(msg.method().name(), uri.path(), uri.parameters(), form,
                header(msg, HttpHeaderNames.AUTHORIZATION.toString()), header(msg, HttpHeaderNames.COOKIE.toString()),
                header(msg, HttpHeaderNames.ORIGIN.toString()), header(msg, HttpHeaderNames.HOST.toString()),
                "fetch".equals(msg.headers().get("X-Requested-With")));
        Optional<WebResponse> refused = routes.refusal(req);
        if (refused.isPresent()) {
            write(ctx, refused.get(), keepAlive, head);
            return;
        }
        Executor worker = req.path().startsWith("/admin/") ? admin : pages;
        try {
            worker.execute(() -> write(ctx, routes.handle(req), keepAlive, head));
        } catch (RejectedExecutionException e) {
            if (worker instanceof ExecutorService pool && pool.isShutdown()) {
                ctx.close();
            } else {
                // The worker's queue is full: say so at once rather than hold the request.
                write(ctx, WebResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "phone-emu: too busy, try again"), false, head);
            }
        }
    }

    private static Optional<String> header(FullHttpRequest msg, String name) {
        return Optional.ofNullable(msg.headers().get(name));
    }

    private static void write(ChannelHandlerContext ctx, WebResponse r, boolean keepAlive, boolean head) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("Content-Security-Policy", CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set("X-Frame-Options", "DENY");
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        if (keepAlive) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
