package org.phoneemu.capf.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.phoneemu.wire.StrictDecoder;
import org.phoneemu.capf.wire.CapfWireException.Reason;

/**
 * Turns bytes into {@link CapfMessage}s, strictly: magic {@code 0x55}, a known opcode, a message no larger than
 * {@code maxMessageLength} (judged from the header, before the body arrives), elements that fit the header's
 * length exactly, and the known one-byte and two-byte elements in their shapes. On the first violation it fires a
 * {@link CapfWireException}, drops whatever else arrives and closes the channel.
 */
public final class CapfMessageDecoder extends StrictDecoder<CapfMessage> {
    /** 16 KB: the largest message, an AUTH_RESPONSE proving with a 4096-bit certificate (certificate and two signatures), is about 3 KB. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 16 * 1024;

    private final int maxMessageLength;

    public CapfMessageDecoder() {
        this(DEFAULT_MAX_MESSAGE_LENGTH);
    }

    public CapfMessageDecoder(int maxMessageLength) {
        super(CapfWireException.class);
        if (maxMessageLength < CapfMessage.HEADER_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength below the header length: " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    @Override
    protected CapfMessage next(ByteBuf in) {
        return decodeOne(in, maxMessageLength);
    }

    @Override
    protected RuntimeException truncated(int have) {
        return new CapfWireException(Reason.TRUNCATED_MESSAGE, "stream ended " + have + " bytes into a message");
    }

    /** One whole message from {@code in} (advancing it), or null when more bytes are needed. */
    static CapfMessage decodeOne(ByteBuf in, int maxMessageLength) {
        int start = in.readerIndex();
        if (in.readableBytes() >= 1 && in.getUnsignedByte(start) != CapfMessage.MAGIC) {
            throw new CapfWireException(Reason.BAD_MAGIC, String.format("first byte 0x%02x, expected 0x55", in.getUnsignedByte(start)));
        }
        if (in.readableBytes() >= 2 && CapfOpcode.of(in.getUnsignedByte(start + 1)).isEmpty()) {
            throw new CapfWireException(Reason.UNKNOWN_OPCODE, String.format("opcode 0x%02x", in.getUnsignedByte(start + 1)));
        }
        if (in.readableBytes() < CapfMessage.HEADER_LENGTH) {
            return null;
        }
        int length = in.getUnsignedShort(start + 6);
        if (CapfMessage.HEADER_LENGTH + length > maxMessageLength) {
            throw new CapfWireException(Reason.OVERSIZED_MESSAGE, (CapfMessage.HEADER_LENGTH + length) + " bytes, limit " + maxMessageLength);
        }
        if (in.readableBytes() < CapfMessage.HEADER_LENGTH + length) {
            return null;
        }
        CapfOpcode opcode = CapfOpcode.of(in.getUnsignedByte(start + 1)).orElseThrow();
        long session = in.getUnsignedInt(start + 2);
        ByteBuf body = in.slice(start + CapfMessage.HEADER_LENGTH, length);
        List<CapfElement> elements = new ArrayList<>();
        while (body.isReadable()) {
            if (body.readableBytes() < 3) {
                throw new CapfWireException(Reason.TRUNCATED_ELEMENT, body.readableBytes() + " stray bytes after the last element");
            }
            int tag = body.readUnsignedByte();
            int len = body.readUnsignedShort();
            if (len > body.readableBytes()) {
                throw new CapfWireException(Reason.TRUNCATED_ELEMENT, "element " + tag + " says " + len + " bytes, "
                        + body.readableBytes() + " left");
            }
            byte[] value = new byte[len];
            body.readBytes(value);
            check(tag, value);
            elements.add(new CapfElement(tag, value));
        }
        in.skipBytes(CapfMessage.HEADER_LENGTH + length);
        return new CapfMessage(opcode, session, elements);
    }

    private static void check(int tag, byte[] v) {
        switch (tag) {
            case CapfTag.REASON, CapfTag.VERSION, CapfTag.AUTH_TYPE, CapfTag.KEY_TYPE, CapfTag.CURVE, CapfTag.CERTIFICATE_TYPE -> {
                if (v.length != 1) {
                    throw bad("element " + tag + " must be 1 byte, is " + v.length);
                }
            }
            case CapfTag.RETRY_DELAY -> {
                // Its width is not known from any source: take any plain big-endian integer width.
                if (v.length != 1 && v.length != 2 && v.length != 4) {
                    throw bad("element " + tag + " must be 1, 2 or 4 bytes, is " + v.length);
                }
            }
            case CapfTag.KEY_SIZE -> {
                if (v.length != 2) {
                    throw bad("element " + tag + " must be 2 bytes, is " + v.length);
                }
            }
            case CapfTag.DEVICE_NAME -> printableCString(tag, v, 2);
            case CapfTag.PASSWORD -> printableCString(tag, v, 1);
            case CapfTag.CERTIFICATE -> {
                String p = CapfCertificate.problem(v);
                if (p != null) {
                    throw bad(p);
                }
            }
            case CapfTag.SHA2_SIGNED_DATA -> {
                String p = CapfSignature.problem(v);
                if (p != null) {
                    throw bad(p);
                }
            }
            default -> {
                // Other elements are opaque here; a side that uses one judges it, the other skips it.
            }
        }
    }

    private static void printableCString(int tag, byte[] v, int minLength) {
        if (v.length < minLength || v[v.length - 1] != 0) {
            throw bad("element " + tag + " must be a NUL-terminated string");
        }
        for (int i = 0; i < v.length - 1; i++) {
            if (v[i] < 0x20 || v[i] > 0x7e) {
                throw bad("element " + tag + " has a non-printable byte");
            }
        }
    }

    private static CapfWireException bad(String message) {
        return new CapfWireException(Reason.BAD_ELEMENT, message);
    }
}
