package org.phoneemu.tvs.frame;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.phoneemu.wire.StrictDecoder;
import org.phoneemu.tvs.frame.TvsFrameException.Reason;

/**
 * Turns bytes into {@link TvsFrame}s, strictly (docs/TVS.md §1): protocol id {@code 0x57}, version 1, a known
 * command, a frame no larger than {@code maxFrameLength}, elements that fit exactly in the header's length, and
 * the known elements in their documented shapes. The reserved byte is kept but never judged. On the first
 * violation it fires a {@link TvsFrameException} down the pipeline, drops whatever else arrives and closes the
 * channel.
 */
public final class TvsFrameDecoder extends StrictDecoder<TvsFrame> {
    /** 16 KB: a VERIFY with a 4096-bit certificate is under 2 KB. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 16 * 1024;

    private final int maxFrameLength;

    public TvsFrameDecoder() {
        this(DEFAULT_MAX_FRAME_LENGTH);
    }

    public TvsFrameDecoder(int maxFrameLength) {
        super(TvsFrameException.class);
        if (maxFrameLength < TvsFrame.HEADER_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength below the header length: " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    protected TvsFrame next(ByteBuf in) {
        return decodeOne(in, maxFrameLength);
    }

    @Override
    protected RuntimeException truncated(int have) {
        return new TvsFrameException(Reason.TRUNCATED_FRAME, "stream ended " + have + " bytes into a frame");
    }

    /**
     * Reads one frame from {@code in} when a whole one is there (advancing the reader index), returns
     * {@code null} when more bytes are needed (leaving the index alone), throws on a bad frame. Usable without
     * a channel.
     */
    public static TvsFrame decodeOne(ByteBuf in, int maxFrameLength) {
        if (!in.isReadable()) {
            return null;
        }
        int start = in.readerIndex();
        int available = in.readableBytes();
        // Judge each header byte as soon as it is there: a wrong peer is dropped without waiting for more.
        int protocolId = in.getUnsignedByte(start);
        if (protocolId != TvsFrame.PROTOCOL_ID) {
            throw new TvsFrameException(Reason.BAD_PROTOCOL_ID,
                    String.format("protocol id 0x%02x, expected 0x%02x", protocolId, TvsFrame.PROTOCOL_ID));
        }
        if (available < 2) {
            return null;
        }
        int version = in.getUnsignedByte(start + 1);
        if (version != TvsFrame.VERSION) {
            throw new TvsFrameException(Reason.BAD_VERSION, "version " + version + ", expected " + TvsFrame.VERSION);
        }
        if (available < 3) {
            return null;
        }
        int commandCode = in.getUnsignedByte(start + 2);
        TvsCommand command = TvsCommand.of(commandCode)
                .orElseThrow(() -> new TvsFrameException(Reason.UNKNOWN_COMMAND, "command " + commandCode));
        if (available < TvsFrame.HEADER_LENGTH) {
            return null;
        }
        int reserved = in.getUnsignedByte(start + 3);
        long sessionId = in.getUnsignedInt(start + 4);
        int elementsLength = in.getUnsignedShort(start + 8);
        int frameLength = TvsFrame.HEADER_LENGTH + elementsLength;
        if (frameLength > maxFrameLength) {
            throw new TvsFrameException(Reason.OVERSIZED_FRAME,
                    "frame of " + frameLength + " bytes, limit " + maxFrameLength);
        }
        if (available < frameLength) {
            return null;
        }
        List<TvsElement> elements = elements(in, start, frameLength);
        in.readerIndex(start + frameLength);
        return new TvsFrame(command, reserved, sessionId, elements);
    }

    /** The elements of the whole frame at {@code start}: each must fit exactly in the frame and have its known shape. */
    private static List<TvsElement> elements(ByteBuf in, int start, int frameLength) {
        List<TvsElement> elements = new ArrayList<>();
        int pos = start + TvsFrame.HEADER_LENGTH;
        int end = start + frameLength;
        while (pos < end) {
            if (end - pos < TvsElement.HEADER_LENGTH) {
                throw new TvsFrameException(Reason.TRUNCATED_ELEMENT,
                        "element header of " + (end - pos) + " bytes at offset " + (pos - start));
            }
            int type = in.getUnsignedByte(pos);
            int length = in.getUnsignedShort(pos + 1);
            if (length > end - pos - TvsElement.HEADER_LENGTH) {
                throw new TvsFrameException(Reason.TRUNCATED_ELEMENT, "element type " + type + " at offset "
                        + (pos - start) + " claims " + length + " bytes, " + (end - pos - TvsElement.HEADER_LENGTH) + " left");
            }
            byte[] value = new byte[length];
            in.getBytes(pos + TvsElement.HEADER_LENGTH, value);
            checkShape(type, value);
            elements.add(new TvsElement(type, value));
            pos += TvsElement.HEADER_LENGTH + length;
        }
        return elements;
    }

    private static void checkShape(int type, byte[] value) {
        TvsElementType known = TvsElementType.of(type).orElse(null);
        if (known == null) {
            return;
        }
        switch (known) {
            case STATUS -> requireLength(known, value, 1);
            case TTL -> requireLength(known, value, 4);
            case DEVICE_NAME -> {
                if (value.length < 2 || value[0] != TvsFrame.DEVICE_NAME_PREFIX) {
                    throw new TvsFrameException(Reason.BAD_ELEMENT, "DEVICE_NAME must be 0x01 then the name");
                }
                for (int i = 1; i < value.length; i++) {
                    if (value[i] < 0x20 || value[i] > 0x7e) {
                        throw new TvsFrameException(Reason.BAD_ELEMENT, "DEVICE_NAME holds a non-printable byte");
                    }
                }
            }
            default -> {
            }
        }
    }

    private static void requireLength(TvsElementType type, byte[] value, int expected) {
        if (value.length != expected) {
            throw new TvsFrameException(Reason.BAD_ELEMENT,
                    type + " of " + value.length + " bytes, expected " + expected);
        }
    }
}
