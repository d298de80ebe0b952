package org.phoneemu.tvs.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link TvsFrame} as wire bytes (docs/TVS.md §1). Stateless, so one instance may serve every channel. */
@Sharable
public final class TvsFrameEncoder extends MessageToByteEncoder<TvsFrame> {
    public static final TvsFrameEncoder INSTANCE = new TvsFrameEncoder();

    public TvsFrameEncoder() {
        super(TvsFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, TvsFrame frame, ByteBuf out) {
        encode(frame, out);
    }

    /** The same bytes without a channel (tests, fuzzers, captures). */
    public static void encode(TvsFrame frame, ByteBuf out) {
        out.ensureWritable(frame.encodedLength());
        out.writeByte(TvsFrame.PROTOCOL_ID);
        out.writeByte(TvsFrame.VERSION);
        out.writeByte(frame.command().code());
        out.writeByte(frame.reserved());
        out.writeInt((int) frame.sessionId());
        out.writeShort(frame.elementsLength());
        for (TvsElement e : frame.elements()) {
            out.writeByte(e.type());
            out.writeShort(e.valueLength());
            out.writeBytes(e.rawValue());
        }
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, TvsFrame frame, boolean preferDirect) {
        return preferDirect ? ctx.alloc().ioBuffer(frame.encodedLength()) : ctx.alloc().heapBuffer(frame.encodedLength());
    }
}
