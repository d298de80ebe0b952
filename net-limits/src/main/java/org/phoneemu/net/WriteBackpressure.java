package org.phoneemu.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading from a client while its answers are not being taken (the channel is not writable: the outbound buffer
 * is over its high water mark) and reads again once they are, so a client that sends requests without reading cannot
 * make the server buffer answers without bound. While answers wait, the {@link RequestDeadline} runs: a client that
 * takes none is closed. Sits after the decoder and before the deadline.
 */
public final class WriteBackpressure extends ChannelInboundHandlerAdapter {
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable); // back on, Netty asks for the next read itself
        if (!writable) {
            RequestDeadline.restart(ctx.pipeline());
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        // Requests already read when reading stopped are still answered (into the buffer); the deadline runs on meanwhile.
        if (!ctx.channel().isWritable()) {
            RequestDeadline.resume(ctx.pipeline());
        }
    }
}
