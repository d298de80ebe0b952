package org.phoneemu.tvs.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.phoneemu.tvs.frame.TvsFrameException.Reason;

class TvsFrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] cert900() {
        byte[] der = new byte[900];
        for (int i = 0; i < der.length; i++) {
            der[i] = (byte) (i * 7);
        }
        return der;
    }

    private static byte[] encode(TvsFrame frame) {
        EmbeddedChannel ch = new EmbeddedChannel(new TvsFrameEncoder());
        assertThat(ch.writeOutbound(frame)).isTrue();
        ByteBuf buf = ch.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(buf);
        buf.release();
        ch.finishAndReleaseAll();
        return bytes;
    }

    private static EmbeddedChannel decoder() {
        return new EmbeddedChannel(new TvsFrameDecoder());
    }

    @Test
    void verifyRequestMatchesTheFormatsExampleByteForByte() {
        byte[] der = cert900();
        byte[] bytes = encode(TvsFrame.verifyRequest(1, "CP-7970-SEP001122334455", der));

        assertThat(HEX.formatHex(bytes, 0, 10)).isEqualTo("57010100000000010" + "3a2");
        assertThat(HEX.formatHex(bytes, 10, 17)).isEqualTo("01001801" + "43502d");
        assertThat(new String(bytes, 14, 23, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("CP-7970-SEP001122334455");
        assertThat(HEX.formatHex(bytes, 37, 40)).isEqualTo("020384");
        assertThat(bytes).hasSize(10 + 0x3a2);
        byte[] tail = java.util.Arrays.copyOfRange(bytes, 40, bytes.length);
        assertThat(tail).isEqualTo(der);
    }

    @Test
    void theFormatsExampleDecodes() {
        byte[] der = cert900();
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(HEX.parseHex("57010100000000" + "0103a2"));
        in.writeBytes(HEX.parseHex("010018" + "01"));
        in.writeBytes("CP-7970-SEP001122334455".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        in.writeBytes(HEX.parseHex("020384"));
        in.writeBytes(der);
        EmbeddedChannel ch = decoder();
        assertThat(ch.writeInbound(in)).isTrue();
        TvsFrame f = ch.readInbound();
        assertThat(f.command()).isEqualTo(TvsCommand.VERIFY_REQUEST);
        assertThat(f.sessionId()).isEqualTo(1);
        assertThat(f.reserved()).isZero();
        assertThat(f.elementsLength()).isEqualTo(0x3a2);
        assertThat(f.deviceName()).contains("CP-7970-SEP001122334455");
        assertThat(f.certificate()).hasValueSatisfying(c -> assertThat(c).isEqualTo(der));
        assertThat(f).isEqualTo(TvsFrame.verifyRequest(1, "CP-7970-SEP001122334455", der));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void verifyResponseRoundTripsWithRolesAndTtl() {
        TvsFrame sent = TvsFrame.verifyResponse(0xfffffffeL, 0, List.of(2, 21, 7), OptionalLong.of(86400));
        byte[] bytes = encode(sent);
        assertThat(HEX.formatHex(bytes)).isEqualTo("57010200fffffffe0011" + "07000100" + "080003021507" + "09000400015180");
        EmbeddedChannel ch = decoder();
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        TvsFrame got = ch.readInbound();
        assertThat(got).isEqualTo(sent);
        assertThat(got.status()).hasValue(0);
        assertThat(got.isValid()).isTrue();
        assertThat(got.roles()).containsExactly(2, 21, 7);
        assertThat(got.ttlSeconds()).hasValue(86400);
    }

    @Test
    void invalidVerdictHasOnlyAStatus() {
        TvsFrame f = TvsFrame.verifyResponseInvalid(9, 1);
        assertThat(f.elements()).hasSize(1);
        assertThat(f.isValid()).isFalse();
        assertThat(f.roles()).isEmpty();
        assertThat(f.ttlSeconds()).isEmpty();
    }

    @Test
    void queryFramesRoundTrip() {
        TvsFrame q = TvsFrame.queryRequest(5, "CP-8865-SEPAABBCCDDEEFF", Optional.of("CN=tvs"), Optional.of("CN=ca"),
                Optional.of(new byte[] {1, 2, 3}));
        TvsFrame r = TvsFrame.queryResponse(5, 0, Optional.of(new byte[] {0x30, 0x00}));
        EmbeddedChannel ch = decoder();
        ch.writeInbound(Unpooled.wrappedBuffer(encode(q)), Unpooled.wrappedBuffer(encode(r)));
        TvsFrame q2 = ch.readInbound();
        TvsFrame r2 = ch.readInbound();
        assertThat(q2).isEqualTo(q);
        assertThat(q2.subjectName()).contains("CN=tvs");
        assertThat(q2.issuerName()).contains("CN=ca");
        assertThat(q2.serialNumber()).hasValueSatisfying(s -> assertThat(s).containsExactly(1, 2, 3));
        assertThat(r2).isEqualTo(r);
        assertThat(r2.certificate()).isPresent();
    }

    @Test
    void unknownElementsAndTheReservedByteAreKept() {
        byte[] bytes = HEX.parseHex("570102" + "7f" + "00000003" + "0008" + "070001" + "00" + "630001" + "aa");
        EmbeddedChannel ch = decoder();
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        TvsFrame f = ch.readInbound();
        assertThat(f.reserved()).isEqualTo(0x7f);
        assertThat(f.elements()).hasSize(2);
        assertThat(f.elements().get(1).type()).isEqualTo(0x63);
        assertThat(f.elements().get(1).knownType()).isEmpty();
        assertThat(encode(f)).isEqualTo(bytes);
    }

    @Test
    void framesSplitAcrossReadsAndCoalescedReadsDecode() {
        byte[] a = encode(TvsFrame.verifyResponseInvalid(1, 1));
        byte[] b = encode(TvsFrame.verifyResponse(2, 0, List.of(21), OptionalLong.empty()));
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        EmbeddedChannel ch = decoder();
        for (byte x : all) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        }
        assertThat(((TvsFrame) ch.readInbound()).sessionId()).isEqualTo(1);
        assertThat(((TvsFrame) ch.readInbound()).sessionId()).isEqualTo(2);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    private static void assertRejected(String hex, Reason reason) {
        assertRejected(new TvsFrameDecoder(), HEX.parseHex(hex), reason);
    }

    private static void assertRejected(TvsFrameDecoder decoder, byte[] bytes, Reason reason) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bytes)))
                .isInstanceOfSatisfying(TvsFrameException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(ch.isOpen()).as("channel closed after a bad frame").isFalse();
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void wrongProtocolIdIsRejectedFromTheFirstByte() {
        assertRejected("58", Reason.BAD_PROTOCOL_ID);
        assertRejected("16030100", Reason.BAD_PROTOCOL_ID);
    }

    @Test
    void wrongVersionIsRejected() {
        assertRejected("5702020000000001000400", Reason.BAD_VERSION);
    }

    @Test
    void unknownCommandIsRejected() {
        assertRejected("570105", Reason.UNKNOWN_COMMAND);
        assertRejected("570100", Reason.UNKNOWN_COMMAND);
    }

    @Test
    void elementRunningPastTheFrameIsRejected() {
        assertRejected("57010200000000010004" + "070002" + "00", Reason.TRUNCATED_ELEMENT);
        assertRejected("57010200000000010002" + "0700", Reason.TRUNCATED_ELEMENT);
    }

    @Test
    void oversizedFrameIsRejectedFromItsHeader() {
        assertRejected("5701020000000001ffff", Reason.OVERSIZED_FRAME);
        byte[] small = encode(TvsFrame.verifyRequest(1, "CP-7970-SEP001122334455", cert900()));
        assertRejected(new TvsFrameDecoder(512), small, Reason.OVERSIZED_FRAME);
    }

    @Test
    void malformedKnownElementsAreRejected() {
        assertRejected("57010200000000010005" + "0700020000", Reason.BAD_ELEMENT);
        assertRejected("57010200000000010005" + "0900020000", Reason.BAD_ELEMENT);
        assertRejected("57010100000000010005" + "0100024350", Reason.BAD_ELEMENT);
    }

    @Test
    void streamEndingInsideAFrameIsATruncatedFrame() {
        EmbeddedChannel ch = decoder();
        ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("57010200000000010004" + "0700")));
        assertThat((Object) ch.readInbound()).isNull();
        assertThatThrownBy(ch::finish)
                .isInstanceOfSatisfying(TvsFrameException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED_FRAME));
    }

    @Test
    void bytesAfterABadFrameAreDropped() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new TvsFrameDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("00"))))
                .isInstanceOf(TvsFrameException.class);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void factoriesRefuseWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> TvsFrame.verifyRequest(-1, "CP-7970-SEP001122334455", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TvsFrame.verifyRequest(1L << 32, "CP-7970-SEP001122334455", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TvsFrame.verifyRequest(1, "CP-7970\0", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TvsFrame.verifyRequest(1, "CP-7970-SEP001122334455", new byte[0xffff]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TvsFrame.verifyResponse(1, 0, List.of(256), OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
