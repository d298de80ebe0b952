package org.phoneemu.fleet.metrics;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.phoneemu.net.BoundedHttp;
import org.phoneemu.net.HttpLimits;

/**
 * A tiny HTTP endpoint on Netty's HTTP codec: {@code GET /metrics} answers the Prometheus text exposition of a
 * registry; anything else is 404/405. The scrape (which walks every phone for the gauges) runs on its own thread,
 * never on the event loop, and requests arriving while one runs share its answer, so a flood of requests queues no
 * work. Connections and requests are bounded ({@link HttpLimits#metrics()}: 64 connections, 16 per address, 10 s to
 * send a whole request however it is dripped, 8 KiB) so a client cannot make it hold much.
 */
public final class MetricsServer implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final EventLoopGroup group;
    private final ExecutorService scraper;
    private final Channel channel;
    private final BoundedHttp http;

    private MetricsServer(EventLoopGroup group, ExecutorService scraper, Channel channel, BoundedHttp http) {
        this.group = group;
        this.scraper = scraper;
        this.channel = channel;
        this.http = http;
    }

    /** Binds {@code address} (port 0: any free port) and serves {@code scrape}'s text at {@code /metrics}. */
    public static MetricsServer start(InetSocketAddress address, Supplier<String> scrape) throws IOException {
        return start(address, scrape, HttpLimits.metrics());
    }

    /** As above, with other limits (tests shorten the deadlines). */
    public static MetricsServer start(InetSocketAddress address, Supplier<String> scrape, HttpLimits limits) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ExecutorService scraper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-scrape");
            t.setDaemon(true);
            return t;
        });
        SharedScrape shared = new SharedScrape(scrape, scraper);
        BoundedHttp http = BoundedHttp.on(group, limits, "metrics", p -> p.addLast("metrics", new Handler(shared)));
        try {
            // Called from the command's own thread, not from an event loop.
            Channel ch = http.bootstrap().bind(address).syncUninterruptibly().channel();
            return new MetricsServer(group, scraper, ch, http);
        } catch (Exception e) { // Netty rethrows the BindException unchecked
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            scraper.shutdownNow();
            throw new IOException("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Connections open now (each counts against the limits' caps). */
    public int openConnections() {
        return http.openConnections();
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        scraper.shutdownNow();
    }

    /** One scrape at a time on the scraper thread; callers during a scrape get that scrape's text. */
    private static final class SharedScrape {
        private final Supplier<String> scrape;
        private final ExecutorService scraper;
        private final AtomicReference<CompletableFuture<String>> running = new AtomicReference<>();

        SharedScrape(Supplier<String> scrape, ExecutorService scraper) {
            this.scrape = scrape;
            this.scraper = scraper;
        }

        CompletableFuture<String> get() {
            while (true) {
                CompletableFuture<String> r = running.get();
                if (r != null) {
                    return r;
                }
                CompletableFuture<String> next = new CompletableFuture<>();
                if (running.compareAndSet(null, next)) {
                    scraper.execute(() -> {
                        String text = null;
                        Throwable failure = null;
                        try {
                            text = scrape.get();
                        } catch (RuntimeException | Error e) {
                            failure = e;
                        }
                        running.set(null); // before completing: a request after this answer gets a fresh scrape
                        if (failure == null) {
                            next.complete(text);
                        } else {
                            next.completeExceptionally(failure);
                        }
                    });
                    return next;
                }
            }
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final SharedScrape scrape;

        Handler(SharedScrape scrape) {
            this.scrape = scrape;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            if (!req.decoderResult().isSuccess()) {
                send(ctx, HttpResponseStatus.BAD_REQUEST, "bad request\n", "text/plain; charset=utf-8");
            } else if (!path.equals("/metrics")) {
                send(ctx, HttpResponseStatus.NOT_FOUND, "only /metrics here\n", "text/plain; charset=utf-8");
            } else if (!req.method().equals(HttpMethod.GET)) {
                send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET /metrics\n", "text/plain; charset=utf-8");
            } else {
                scrape.get().whenComplete((text, e) -> ctx.executor().execute(() -> {
                    if (e != null) {
                        send(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed: " + e + "\n", "text/plain; charset=utf-8");
                    } else {
                        send(ctx, HttpResponseStatus.OK, text, CONTENT_TYPE);
                    }
                }));
            }
        }

        private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String body, String type) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            r.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
