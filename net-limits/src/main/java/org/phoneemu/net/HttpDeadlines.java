package org.phoneemu.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of {@link HttpLimits} on one HTTP/1.1 connection, as two handlers around Netty's HTTP codec: one
 * before it sees the first byte of a request, one after it sees the end of the headers and of the body, and the
 * response going out. While a request is handled the connection reads nothing more, and a request that came in the
 * same write waits in the {@code FlowControlHandler} after the codec, so one connection queues at most one request's
 * work. A missed deadline closes the connection (no answer: the client is not listening).
 */
final class HttpDeadlines {
    private enum Phase { IDLE, HEADERS, BODY, RESPONDING }

    private final HttpLimits limits;
    private Phase phase = Phase.IDLE;
    private long requestStart;
    private ScheduledFuture<?> timer;

    HttpDeadlines(HttpLimits limits) {
        this.limits = limits;
    }

    /** Goes right before the HTTP codec: raw bytes. */
    ChannelHandler beforeCodec() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                // Over TLS the handshake has its own deadline; the first request is due from its end.
                if (ctx.pipeline().get(SslHandler.class) == null) {
                    arm(ctx, limits.idleTimeout());
                }
                super.channelActive(ctx);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                if (evt instanceof SslHandshakeCompletionEvent hs && hs.isSuccess() && phase == Phase.IDLE) {
                    arm(ctx, limits.idleTimeout());
                }
                super.userEventTriggered(ctx, evt);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (phase == Phase.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
                    phase = Phase.HEADERS;
                    requestStart = System.nanoTime();
                    arm(ctx, limits.headerTimeout());
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                disarm();
                super.channelInactive(ctx);
            }
        };
    }

    /** Goes right after the HTTP codec: request parts in, responses out. */
    ChannelHandler afterCodec() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest && phase != Phase.RESPONDING) {
                    if (phase == Phase.IDLE) {
                        // A request sent with the previous one: its bytes were read then, its clock starts now.
                        requestStart = System.nanoTime();
                    }
                    phase = Phase.BODY;
                    long left = limits.requestTimeout().toNanos() - (System.nanoTime() - requestStart);
                    arm(ctx, Duration.ofNanos(Math.max(1, left)));
                }
                if (msg instanceof LastHttpContent && phase == Phase.BODY) {
                    phase = Phase.RESPONDING;
                    ctx.channel().config().setAutoRead(false);
                    arm(ctx, limits.idleTimeout());
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                boolean interim = msg instanceof HttpResponse r && r.status().equals(HttpResponseStatus.CONTINUE);
                boolean ends = msg instanceof LastHttpContent && !interim;
                super.write(ctx, msg, promise);
                if (ends) {
                    // The void promise of writeAndFlush(msg, voidPromise()) takes no listener; the next read restarts the clock then.
                    if (promise.isVoid()) {
                        responded(ctx);
                    } else {
                        promise.addListener(f -> {
                            if (ctx.channel().isActive()) {
                                responded(ctx);
                            }
                        });
                    }
                }
            }
        };
    }

    private void responded(ChannelHandlerContext ctx) {
        phase = Phase.IDLE;
        arm(ctx, limits.idleTimeout());
        ctx.channel().config().setAutoRead(true);
    }

    private void arm(ChannelHandlerContext ctx, Duration d) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            ctx.channel().close();
        }, d.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
