package org.phoneemu.capf.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link CapfMessage}s: header, then the elements in order. Stateless and shared. */
@ChannelHandler.Sharable
public final class CapfMessageEncoder extends MessageToByteEncoder<CapfMessage> {
    public static final CapfMessageEncoder INSTANCE = new CapfMessageEncoder();

    private CapfMessageEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, CapfMessage m, ByteBuf out) {
        write(m, out);
    }

    public static void write(CapfMessage m, ByteBuf out) {
        out.writeByte(CapfMessage.MAGIC);
        out.writeByte(m.opcode().code());
        out.writeInt((int) m.sessionId());
        out.writeShort(m.bodyLength());
        for (CapfElement e : m.elements()) {
            out.writeByte(e.tag());
            out.writeShort(e.length());
            out.writeBytes(e.raw());
        }
    }
}
