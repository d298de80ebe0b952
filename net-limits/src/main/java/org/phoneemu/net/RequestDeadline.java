package org.phoneemu.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The time a client has to deliver one whole request: armed when the TLS handshake ends and again when a response
 * has been written, disarmed when a whole (decoded) request arrives. Unlike an idle timer, bytes that do not complete
 * a request do not restart it. Sits right before the protocol handler, where only whole requests arrive. HTTP servers
 * use {@link HttpDeadlines}, which also bounds the time to the end of the headers.
 */
public final class RequestDeadline extends ChannelDuplexHandler {
    private final Duration timeout;
    private final Consumer<ChannelHandlerContext> expired;
    private ScheduledFuture<?> timer;
    /** When the last armed deadline ends ({@link System#nanoTime}), kept across a read for {@link #resume}. */
    private long dueNanos;

    /** @param expired told before the connection is closed (for the service's trace) */
    public RequestDeadline(Duration timeout, Consumer<ChannelHandlerContext> expired) {
        this.timeout = timeout;
        this.expired = expired;
    }

    /**
     * The next whole request is due within the timeout from now, on the connection of {@code pipeline} (nothing when it
     * has no deadline): for answers the client is not taking.
     */
    public static void restart(ChannelPipeline pipeline) {
        ChannelHandlerContext ctx = pipeline.context(RequestDeadline.class);
        if (ctx != null && ctx.channel().isActive()) {
            ((RequestDeadline) ctx.handler()).arm(ctx);
        }
    }

    /**
     * The message just read gets no answer (a SIP response to nothing): the deadline runs on from where the read stopped
     * it, so a client sending only such messages is still closed when the time for a request ends.
     */
    public static void resume(ChannelPipeline pipeline) {
        ChannelHandlerContext ctx = pipeline.context(RequestDeadline.class);
        if (ctx != null && ctx.channel().isActive()) {
            RequestDeadline d = (RequestDeadline) ctx.handler();
            d.schedule(ctx, Math.max(0, d.dueNanos - System.nanoTime()));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // Without TLS the first request is due from the accept; with TLS, from the end of the handshake.
        if (ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) == null) {
            arm(ctx);
        }
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent hs && hs.isSuccess()) {
            arm(ctx);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        disarm();
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (promise.isVoid()) {
            super.write(ctx, msg, promise);
            arm(ctx);
        } else {
            super.write(ctx, msg, promise);
            promise.addListener(f -> {
                if (ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void arm(ChannelHandlerContext ctx) {
        dueNanos = System.nanoTime() + timeout.toNanos();
        schedule(ctx, timeout.toNanos());
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            if (ctx.channel().isActive()) {
                expired.accept(ctx);
                ctx.close();
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
