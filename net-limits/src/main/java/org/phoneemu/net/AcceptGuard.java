package org.phoneemu.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening socket's own handler ({@code ServerBootstrap.handler}): an accept that fails (no file descriptor
 * left, "Too many open files") is logged rate-limited in one line without a stack trace, and accepting pauses for a
 * second, instead of an exception reaching the end of the pipeline, with its trace, on every attempt.
 */
@ChannelHandler.Sharable
final class AcceptGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptGuard.class);
    private final RateLimitedLog log;
    private final String service;

    /** @param service names the server in the log line, e.g. "TVS 127.0.0.1:2445" or "web" */
    AcceptGuard(String service) {
        this(service, new RateLimitedLog(LOG, service + " accept failures"));
    }

    /** @param log where the failures go (a test gives one on a clock of its own) */
    AcceptGuard(String service, RateLimitedLog log) {
        this.service = service;
        this.log = log;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn(service, service + " " + ctx.channel().localAddress() + ": cannot accept a connection: " + cause
                + "; pausing accepts for 1 s");
        ctx.channel().config().setAutoRead(false);
        ctx.channel().eventLoop().schedule(() -> ctx.channel().config().setAutoRead(true), 1, TimeUnit.SECONDS);
    }
}
