package org.phoneemu.sip.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.phoneemu.sip.codec.SipMessage;

/**
 * Lets only final responses through to the exchange: a provisional answer (100 Trying) is not the answer to a
 * REGISTER, and a request CallManager sends on the connection (an OPTIONS ping) is not one either.
 */
final class ProvisionalFilter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SipMessage.Request || (msg instanceof SipMessage.Response r && r.provisional())) {
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
