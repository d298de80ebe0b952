package org.phoneemu.tftp.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.tftp.packet.TftpPacketException.Reason;

class TftpPacketCodecTest {

    /** Builds a datagram from 16-bit numbers (Integer), NUL-terminated strings (String) and raw bytes (byte[]). */
    private static byte[] wire(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.write(i >>> 8);
                out.write(i & 0xFF);
            } else if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
                out.write(0);
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    private static TftpPacket decode(byte[] bytes) throws TftpPacketException {
        return TftpPacketCodec.decode(Unpooled.wrappedBuffer(bytes));
    }

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void decodesPlainReadRequest() throws Exception {
        TftpPacket p = decode(wire(1, "CTLSEP0011215A1AE3.tlv", "octet"));
        assertThat(p).isEqualTo(new TftpReadRequest("CTLSEP0011215A1AE3.tlv"));
        assertThat(((TftpRequest) p).options()).isEmpty();
    }

    @Test
    void decodesReadRequestWithOptionsLowerCasingNamesAndMode() throws Exception {
        TftpReadRequest p = (TftpReadRequest) decode(
                wire(1, "SEP0011215A1AE3.cnf.xml", "OCTET", "BlkSize", "1428", "tsize", "0", "timeout", "3", "x-vendor", "abc"));
        assertThat(p.mode()).isEqualTo("octet");
        assertThat(p.options()).containsExactly(Map.entry("blksize", "1428"), Map.entry("tsize", "0"),
                Map.entry("timeout", "3"), Map.entry("x-vendor", "abc"));
        assertThat(TftpOption.BLKSIZE.intValueIn(p.options())).hasValue(1428);
        assertThat(TftpOption.TSIZE.valueIn(p.options())).hasValue(0);
        assertThat(TftpOption.WINDOWSIZE.valueIn(p.options())).isEmpty();
    }

    @Test
    void decodesWriteRequest() throws Exception {
        assertThat(decode(wire(2, "up.bin", "netascii")))
                .isEqualTo(new TftpWriteRequest("up.bin", "netascii", Map.of()));
    }

    @Test
    void decodesData() throws Exception {
        TftpData d = (TftpData) decode(wire(3, 65535, new byte[] {1, 2, 3}));
        assertThat(d.block()).isEqualTo(65535);
        assertThat(d.payload()).containsExactly(1, 2, 3);
        assertThat(d).isEqualTo(TftpData.of(65535, new byte[] {1, 2, 3}));
        assertThat(((TftpData) decode(wire(3, 0))).length()).isZero();
    }

    @Test
    void decodesAckErrorAndOack() throws Exception {
        assertThat(decode(wire(4, 0))).isEqualTo(new TftpAck(0));
        TftpError e = (TftpError) decode(wire(5, 1, "File not found"));
        assertThat(e.errorCode()).contains(TftpErrorCode.FILE_NOT_FOUND);
        assertThat(e.message()).isEqualTo("File not found");
        TftpError unknown = (TftpError) decode(wire(5, 42, ""));
        assertThat(unknown.code()).isEqualTo(42);
        assertThat(unknown.errorCode()).isEmpty();
        assertThat(decode(wire(6, "blksize", "1024", "tsize", "4762")))
                .isEqualTo(new TftpOptionAck(opts("blksize", "1024", "tsize", "4762")));
    }

    @Test
    void decodeLeavesBufferIndicesUntouched() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(new byte[] {9, 9});
        buf.writeBytes(wire(4, 7));
        buf.readerIndex(2);
        assertThat(TftpPacketCodec.decode(buf)).isEqualTo(new TftpAck(7));
        assertThat(buf.readerIndex()).isEqualTo(2);
        assertThat(buf.refCnt()).isEqualTo(1);
    }

    static List<Object[]> malformed() {
        return List.of(
                new Object[] {"empty datagram", new byte[0], Reason.TRUNCATED},
                new Object[] {"one byte", new byte[] {0}, Reason.TRUNCATED},
                new Object[] {"opcode 0", wire(0, "x", "octet"), Reason.UNKNOWN_OPCODE},
                new Object[] {"opcode 7", wire(7, 1), Reason.UNKNOWN_OPCODE},
                new Object[] {"opcode 0xFFFF", wire(0xFFFF), Reason.UNKNOWN_OPCODE},
                new Object[] {"RRQ without anything", wire(1), Reason.MISSING_NUL},
                new Object[] {"RRQ filename unterminated", wire(1, "abc".getBytes(StandardCharsets.US_ASCII)), Reason.MISSING_NUL},
                new Object[] {"RRQ mode missing", wire(1, "abc"), Reason.MISSING_NUL},
                new Object[] {"RRQ mode unterminated", wire(1, "abc", "oct".getBytes(StandardCharsets.US_ASCII)), Reason.MISSING_NUL},
                new Object[] {"RRQ empty filename", wire(1, "", "octet"), Reason.EMPTY_FILENAME},
                new Object[] {"RRQ empty mode", wire(1, "f", ""), Reason.BAD_MODE},
                new Object[] {"RRQ non-ASCII mode", wire(1, "f", "\u00e9tat"), Reason.BAD_MODE},
                new Object[] {"RRQ control char in mode", wire(1, "f", "oc\ttet"), Reason.BAD_MODE},
                new Object[] {"option without value", wire(1, "f", "octet", "blksize"), Reason.BAD_OPTION},
                new Object[] {"option value unterminated", wire(1, "f", "octet", "blksize", "14".getBytes(StandardCharsets.US_ASCII)), Reason.MISSING_NUL},
                new Object[] {"empty option name", wire(1, "f", "octet", "", "1"), Reason.BAD_OPTION},
                new Object[] {"blksize not a number", wire(1, "f", "octet", "blksize", "big"), Reason.BAD_OPTION},
                new Object[] {"blksize negative", wire(1, "f", "octet", "blksize", "-512"), Reason.BAD_OPTION},
                new Object[] {"blksize with plus", wire(1, "f", "octet", "blksize", "+512"), Reason.BAD_OPTION},
                new Object[] {"blksize empty", wire(1, "f", "octet", "blksize", ""), Reason.BAD_OPTION},
                new Object[] {"blksize too small", wire(1, "f", "octet", "blksize", "7"), Reason.BAD_OPTION},
                new Object[] {"blksize too large", wire(1, "f", "octet", "blksize", "65465"), Reason.BAD_OPTION},
                new Object[] {"timeout zero", wire(1, "f", "octet", "timeout", "0"), Reason.BAD_OPTION},
                new Object[] {"timeout 256", wire(1, "f", "octet", "timeout", "256"), Reason.BAD_OPTION},
                new Object[] {"tsize beyond long", wire(1, "f", "octet", "tsize", "9999999999999999999"), Reason.BAD_OPTION},
                new Object[] {"tsize 20 digits", wire(1, "f", "octet", "tsize", "00000000000000000001"), Reason.BAD_OPTION},
                new Object[] {"duplicate option differing in case", wire(1, "f", "octet", "blksize", "512", "BLKSIZE", "1024"), Reason.BAD_OPTION},
                new Object[] {"OACK bad value", wire(6, "blksize", "1e3"), Reason.BAD_OPTION},
                new Object[] {"OACK dangling name", wire(6, "tsize"), Reason.BAD_OPTION},
                new Object[] {"DATA without block", wire(3), Reason.TRUNCATED},
                new Object[] {"DATA half block", new byte[] {0, 3, 0}, Reason.TRUNCATED},
                new Object[] {"DATA oversized", wire(3, 1, new byte[65_465]), Reason.OVERSIZED},
                new Object[] {"ACK without block", wire(4), Reason.TRUNCATED},
                new Object[] {"ACK with trailing byte", wire(4, 1, new byte[] {0}), Reason.TRAILING_BYTES},
                new Object[] {"ERROR without code", wire(5), Reason.TRUNCATED},
                new Object[] {"ERROR without message", wire(5, 1), Reason.MISSING_NUL},
                new Object[] {"ERROR message unterminated", wire(5, 1, "nope".getBytes(StandardCharsets.US_ASCII)), Reason.MISSING_NUL},
                new Object[] {"ERROR trailing bytes", wire(5, 1, "x", "y"), Reason.TRAILING_BYTES});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformed(String name, byte[] bytes, Reason reason) {
        assertThatThrownBy(() -> decode(bytes))
                .isInstanceOfSatisfying(TftpPacketException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void encodesExactBytes() {
        assertThat(TftpPacketCodec.toBytes(new TftpReadRequest("a.tlv", "octet", opts("blksize", "1024"))))
                .isEqualTo(wire(1, "a.tlv", "octet", "blksize", "1024"));
        assertThat(TftpPacketCodec.toBytes(TftpData.of(1, new byte[] {5, 6}))).isEqualTo(wire(3, 1, new byte[] {5, 6}));
        assertThat(TftpPacketCodec.toBytes(new TftpAck(65535))).isEqualTo(new byte[] {0, 4, (byte) 0xFF, (byte) 0xFF});
        assertThat(TftpPacketCodec.toBytes(TftpError.of(TftpErrorCode.UNKNOWN_TRANSFER_ID)))
                .isEqualTo(wire(5, 5, "Unknown transfer ID"));
        assertThat(TftpPacketCodec.toBytes(new TftpOptionAck(opts("tsize", "700000"))))
                .isEqualTo(wire(6, "tsize", "700000"));
        assertThat(TftpPacketCodec.toBytes(new TftpError(0, "caf\u00e9 \u2603"))).isEqualTo(wire(5, 0, "caf\u00e9 ?"));
    }

    @Test
    void roundTripsEveryPacketType() throws Exception {
        byte[] big = new byte[TftpData.MAX_PAYLOAD];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        List<TftpPacket> packets = List.of(
                new TftpReadRequest("SEP0011215A1AE3.cnf.xml.enc.sgn", "octet", opts("blksize", "65464", "tsize", "0", "timeout", "255", "windowsize", "1")),
                new TftpWriteRequest("dir/\u00fcber.bin", "netascii", Map.of()),
                TftpData.of(0, new byte[0]),
                TftpData.of(65535, big),
                new TftpAck(0),
                new TftpError(TftpErrorCode.OPTION_NEGOTIATION_FAILED, ""),
                new TftpError(999, "vendor"),
                new TftpOptionAck(Map.of()),
                new TftpOptionAck(opts("blksize", "8", "x", "")));
        for (TftpPacket p : packets) {
            ByteBuf buf = TftpPacketCodec.encode(p, UnpooledByteBufAllocator.DEFAULT);
            try {
                assertThat(TftpPacketCodec.decode(buf)).isEqualTo(p);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void constructorsRefuseWhatCouldNotBeEncoded() {
        assertThatThrownBy(() -> new TftpReadRequest("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TftpReadRequest("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TftpReadRequest("\u2603")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TftpReadRequest("f", "oct\u00e9t", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TftpReadRequest("f", "octet", Map.of("blksize", "70000")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TftpOptionAck(opts("tsize", "1", "TSIZE", "2"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TftpAck(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TftpData.of(-1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TftpData.of(1, new byte[TftpData.MAX_PAYLOAD + 1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TftpError(70000, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packetsAreImmutable() {
        byte[] src = {1, 2, 3};
        TftpData d = TftpData.of(1, src);
        src[0] = 9;
        d.payload()[1] = 9;
        assertThat(d.payload()).containsExactly(1, 2, 3);
        assertThat(TftpData.of(2, new byte[] {0, 1, 2, 3, 4}, 1, 3).payload()).containsExactly(1, 2, 3);
        Map<String, String> o = opts("blksize", "512");
        TftpOptionAck oack = new TftpOptionAck(o);
        o.put("tsize", "1");
        assertThat(oack.options()).containsOnlyKeys("blksize");
        assertThatThrownBy(() -> oack.options().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void errorCodesCarryWireValues() {
        assertThat(TftpErrorCode.values()).hasSize(9);
        for (TftpErrorCode c : TftpErrorCode.values()) {
            assertThat(TftpErrorCode.fromCode(c.code())).contains(c);
        }
        assertThat(TftpErrorCode.OPTION_NEGOTIATION_FAILED.code()).isEqualTo(8);
        assertThat(TftpErrorCode.fromCode(9)).isEmpty();
        assertThat(TftpOpcode.fromCode(6)).isEqualTo(TftpOpcode.OACK);
        assertThat(TftpOpcode.fromCode(7)).isNull();
    }
}
