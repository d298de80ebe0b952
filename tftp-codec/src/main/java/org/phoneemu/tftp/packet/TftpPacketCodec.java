package org.phoneemu.tftp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.phoneemu.tftp.packet.TftpPacketException.Reason;

/**
 * Bytes to {@link TftpPacket} and back (RFC 1350, RFC 2347 OACK). Pure functions: no state, no sockets, usable
 * by a client and a server alike. Strings travel as 8-bit text (ISO-8859-1, so every byte survives a round trip);
 * modes and option names must be printable ASCII.
 */
public final class TftpPacketCodec {
    private TftpPacketCodec() {
    }

    /**
     * Decodes the readable bytes of {@code buf} (one datagram). The buffer's indices are not moved and it is not
     * released: the caller still owns it.
     *
     * @throws TftpPacketException when the bytes are not a well-formed TFTP packet
     */
    public static TftpPacket decode(ByteBuf buf) throws TftpPacketException {
        Reader r = new Reader(buf);
        if (r.remaining() < 2) {
            throw new TftpPacketException(Reason.TRUNCATED, "datagram of " + r.remaining() + " bytes has no opcode");
        }
        int code = r.u16();
        TftpOpcode opcode = TftpOpcode.fromCode(code);
        if (opcode == null) {
            throw new TftpPacketException(Reason.UNKNOWN_OPCODE, "unknown opcode " + code);
        }
        return switch (opcode) {
            case RRQ, WRQ -> decodeRequest(opcode, r);
            case DATA -> decodeData(r);
            case ACK -> decodeAck(r);
            case ERROR -> decodeError(r);
            case OACK -> new TftpOptionAck(decodeOptions(r));
        };
    }

    private static TftpPacket decodeRequest(TftpOpcode opcode, Reader r) throws TftpPacketException {
        String filename = r.string("filename");
        if (filename.isEmpty()) {
            throw new TftpPacketException(Reason.EMPTY_FILENAME, "empty filename");
        }
        String mode = r.string("mode");
        if (!PacketFields.isPrintableAscii(mode)) {
            throw new TftpPacketException(Reason.BAD_MODE, "mode is empty or not printable ASCII");
        }
        Map<String, String> options = decodeOptions(r);
        return opcode == TftpOpcode.RRQ
                ? new TftpReadRequest(filename, mode, options)
                : new TftpWriteRequest(filename, mode, options);
    }

    private static Map<String, String> decodeOptions(Reader r) throws TftpPacketException {
        Map<String, String> options = new LinkedHashMap<>();
        while (r.remaining() > 0) {
            String name = r.string("option name");
            if (r.remaining() == 0) {
                throw new TftpPacketException(Reason.BAD_OPTION, "option '" + name + "' has no value");
            }
            String value = r.string("value of option " + name);
            String problem = PacketFields.optionProblem(name, value);
            if (problem != null) {
                throw new TftpPacketException(Reason.BAD_OPTION, problem);
            }
            if (options.put(name.toLowerCase(Locale.ROOT), value) != null) {
                throw new TftpPacketException(Reason.BAD_OPTION, "duplicate option " + name);
            }
        }
        return options;
    }

    private static TftpPacket decodeData(Reader r) throws TftpPacketException {
        if (r.remaining() < 2) {
            throw new TftpPacketException(Reason.TRUNCATED, "DATA without block number");
        }
        int block = r.u16();
        if (r.remaining() > TftpData.MAX_PAYLOAD) {
            throw new TftpPacketException(Reason.OVERSIZED,
                    "DATA payload of " + r.remaining() + " bytes exceeds " + TftpData.MAX_PAYLOAD);
        }
        return TftpData.wrap(block, r.rest());
    }

    private static TftpPacket decodeAck(Reader r) throws TftpPacketException {
        if (r.remaining() < 2) {
            throw new TftpPacketException(Reason.TRUNCATED, "ACK without block number");
        }
        int block = r.u16();
        if (r.remaining() > 0) {
            throw new TftpPacketException(Reason.TRAILING_BYTES, r.remaining() + " bytes after ACK");
        }
        return new TftpAck(block);
    }

    private static TftpPacket decodeError(Reader r) throws TftpPacketException {
        if (r.remaining() < 2) {
            throw new TftpPacketException(Reason.TRUNCATED, "ERROR without error code");
        }
        int code = r.u16();
        String message = r.string("error message");
        if (r.remaining() > 0) {
            throw new TftpPacketException(Reason.TRAILING_BYTES, r.remaining() + " bytes after ERROR message");
        }
        return new TftpError(code, message);
    }

    /** Encodes {@code packet} into a new buffer from {@code alloc}; the caller owns (and must release or send) it. */
    public static ByteBuf encode(TftpPacket packet, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(estimate(packet));
        boolean ok = false;
        try {
            out.writeShort(packet.opcode().code());
            if (packet instanceof TftpRequest q) {
                writeString(out, q.filename());
                writeString(out, q.mode());
                writeOptions(out, q.options());
            } else if (packet instanceof TftpData d) {
                out.writeShort(d.block());
                out.writeBytes(d.payloadView());
            } else if (packet instanceof TftpAck a) {
                out.writeShort(a.block());
            } else if (packet instanceof TftpError e) {
                out.writeShort(e.code());
                writeString(out, e.message());
            } else if (packet instanceof TftpOptionAck o) {
                writeOptions(out, o.options());
            }
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
        }
    }

    /** Encodes into a fresh byte array (tests, logging). */
    public static byte[] toBytes(TftpPacket packet) {
        ByteBuf buf = encode(packet, UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static int estimate(TftpPacket packet) {
        if (packet instanceof TftpData d) {
            return 4 + d.length();
        }
        return packet instanceof TftpAck ? 4 : 128;
    }

    private static void writeOptions(ByteBuf out, Map<String, String> options) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    private static void writeString(ByteBuf out, String s) {
        // Characters outside ISO-8859-1 (possible only in error messages) become '?'.
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        out.writeByte(0);
    }

    /** Absolute reads over [readerIndex, writerIndex) so the caller's buffer is untouched. */
    private static final class Reader {
        private final ByteBuf buf;
        private final int end;
        private int pos;

        Reader(ByteBuf buf) {
            this.buf = buf;
            this.pos = buf.readerIndex();
            this.end = buf.writerIndex();
        }

        int remaining() {
            return end - pos;
        }

        int u16() {
            int v = buf.getUnsignedShort(pos);
            pos += 2;
            return v;
        }

        String string(String what) throws TftpPacketException {
            int nul = buf.indexOf(pos, end, (byte) 0);
            if (nul < 0) {
                throw new TftpPacketException(Reason.MISSING_NUL, what + " is not NUL-terminated");
            }
            String s = buf.toString(pos, nul - pos, StandardCharsets.ISO_8859_1);
            pos = nul + 1;
            return s;
        }

        byte[] rest() {
            byte[] b = new byte[end - pos];
            buf.getBytes(pos, b);
            pos = end;
            return b;
        }
    }
}
