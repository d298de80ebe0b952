package org.phoneemu.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** The last handler of a connection: an exception no handler took closes the connection with one rate-limited line. */
final class LastResort extends ChannelInboundHandlerAdapter {
    private final String service;
    private final RateLimitedLog log;

    /** @param log shared by the server's connections, so a flood of resets writes a few lines */
    LastResort(String service, RateLimitedLog log) {
        this.service = service;
        this.log = log;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String peer = String.valueOf(ctx.channel().remoteAddress());
        log.warn(peer, service + " " + peer + ": closing the connection after " + cause);
        ctx.close();
    }
}
