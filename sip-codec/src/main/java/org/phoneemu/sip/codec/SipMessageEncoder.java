package org.phoneemu.sip.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes a {@link SipMessage}: start line, its fields, then the one Content-Length this encoder computes, CRLF, body. */
@ChannelHandler.Sharable
public final class SipMessageEncoder extends MessageToByteEncoder<SipMessage> {
    public static final SipMessageEncoder INSTANCE = new SipMessageEncoder();

    private SipMessageEncoder() {
        super(SipMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SipMessage msg, ByteBuf out) {
        write(msg, out);
    }

    /** The message's bytes into {@code out} (also for tests and traces). */
    public static void write(SipMessage msg, ByteBuf out) {
        out.writeCharSequence(msg.startLine(), StandardCharsets.UTF_8);
        out.writeByte('\r').writeByte('\n');
        for (SipHeaders.Field f : msg.headers().without("Content-Length").fields()) {
            out.writeCharSequence(f.name(), StandardCharsets.US_ASCII);
            out.writeByte(':').writeByte(' ');
            out.writeCharSequence(f.value(), StandardCharsets.UTF_8);
            out.writeByte('\r').writeByte('\n');
        }
        out.writeCharSequence("Content-Length: " + msg.body().length + "\r\n\r\n", StandardCharsets.US_ASCII);
        out.writeBytes(msg.body());
    }
}
