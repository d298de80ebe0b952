package org.phoneemu.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * A strict decoder of whole messages, as the TVS and CAPF codecs decode: the first violation (an exception of the
 * codec's own type) goes down the pipeline to the handlers behind, whatever arrives after it is dropped, and the
 * channel is closed; a stream that ends inside a message is a violation too.
 *
 * @param <T> the decoded message
 */
public abstract class StrictDecoder<T> extends ByteToMessageDecoder {
    private final Class<? extends RuntimeException> violation;
    private boolean failed;

    /** @param violation the codec's exception for a stream it refuses */
    protected StrictDecoder(Class<? extends RuntimeException> violation) {
        this.violation = violation;
    }

    /** One whole message from {@code in} (advancing it), or null when more bytes are needed; throws a violation. */
    protected abstract T next(ByteBuf in);

    /** The violation of a stream that ended {@code have} bytes into a message. */
    protected abstract RuntimeException truncated(int have);

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            T message = next(in);
            if (message != null) {
                out.add(message);
            }
        } catch (RuntimeException e) {
            if (violation.isInstance(e)) {
                failed = true;
                in.skipBytes(in.readableBytes());
            }
            throw e;
        }
    }

    @Override
    protected final void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (!failed && in.isReadable()) {
            int have = in.readableBytes();
            failed = true;
            in.skipBytes(have);
            // Fired rather than thrown: a throw here would reach the handlers behind after channelInactive, and
            // they must learn the stream was cut inside a message, not that it merely ended.
            ctx.fireExceptionCaught(truncated(have));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Let the handlers behind see the typed failure first, then hang up on the peer.
        ctx.fireExceptionCaught(cause);
        if (violation.isInstance(cause) || violation.isInstance(cause.getCause())) {
            ctx.close();
        }
    }
}
