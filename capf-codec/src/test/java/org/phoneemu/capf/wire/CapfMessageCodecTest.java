package org.phoneemu.capf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapfMessageCodecTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] encode(CapfMessage m) {
        EmbeddedChannel ch = new EmbeddedChannel(CapfMessageEncoder.INSTANCE);
        ch.writeOutbound(m);
        ByteBuf b = ch.readOutbound();
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static EmbeddedChannel decoder() {
        return new EmbeddedChannel(new CapfMessageDecoder());
    }

    @Test
    void serverHelloAsSeenOnTheWire() {
        // First message of a CUCM CAPF session: opcode 1, session id, 4 bytes of elements: {07}[00 01] 03.
        assertThat(encode(CapfMessage.authRequest(0x1234, CapfTag.AUTH_BY_CERTIFICATE | CapfTag.AUTH_BY_STRING)))
                .isEqualTo(hex("55 01 00001234 0004 07 0001 03"));
    }

    @Test
    void nullStringRequestAsSeenOnTheWire() {
        // {07}[00 01] 02, {0d}[00 07] "CSF123\0", {01}[00 01] 01: 18 bytes of elements.
        assertThat(encode(CapfMessage.authResponse(7, "CSF123", CapfTag.AUTH_BY_STRING, Optional.empty())))
                .isEqualTo(hex("55 02 00000007 0012 07 0001 02 0d 0007 435346313233 00 01 0001 01"));
    }

    @Test
    void keyGenRequestCarriesTheKeySize() {
        assertThat(encode(CapfMessage.keyGenRequest(7, false, 2048))).isEqualTo(hex("55 03 00000007 0005 0a 0002 0800"));
        assertThat(encode(CapfMessage.keyGenRequest(7, true, 384))).isEqualTo(hex("55 03 00000007 0009 0a 0002 0180 0b 0001 01"));
    }

    @Test
    void certificatePackageWrapsTheDer() {
        byte[] der = hex("3082000130");
        byte[] wire = encode(CapfMessage.storeCertRequest(9, der));
        // {03}[00 01] 01, then {04}[len] {01}[len] 00 01 DER
        assertThat(wire).isEqualTo(hex("55 09 00000009 0011 03 0001 01 04 000a 01 0007 0001 3082000130"));
        EmbeddedChannel ch = decoder();
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        CapfMessage m = ch.readInbound();
        assertThat(m.certificateDer()).hasValueSatisfying(d -> assertThat(d).isEqualTo(der));
    }

    @Test
    void roundTripsEveryFactory() {
        List<CapfMessage> all = List.of(
                CapfMessage.authRequest(1, 3),
                CapfMessage.authResponse(1, "SEP001122334455", 2, Optional.of("12345")),
                CapfMessage.keyGenRequest(1, true, 521),
                CapfMessage.keyGenResponse(1, new byte[300]),
                CapfMessage.storeCertRequest(1, new byte[900]),
                CapfMessage.withReason(CapfOpcode.STORE_CERT_RESPONSE, 1, CapfReason.OK),
                CapfMessage.fetchRequest(1),
                CapfMessage.fetchResponse(1, new byte[10]),
                CapfMessage.deleteRequest(1),
                CapfMessage.endSession(0xffffffffL, CapfReason.DEVICE_NOT_FOUND));
        for (CapfMessage m : all) {
            EmbeddedChannel ch = decoder();
            ch.writeInbound(Unpooled.wrappedBuffer(encode(m)));
            CapfMessage back = ch.readInbound();
            assertThat(back).isEqualTo(m);
        }
        CapfMessage auth = all.get(1);
        assertThat(auth.deviceName()).contains("SEP001122334455");
        assertThat(auth.authString()).contains("12345");
        assertThat(all.get(2).ecKey()).isTrue();
        assertThat(all.get(2).keySize()).hasValue(521);
        assertThat(all.get(9).reason()).hasValue(9);
    }

    @Test
    void splitAndCoalescedReads() {
        byte[] a = encode(CapfMessage.authRequest(5, 3));
        byte[] b = encode(CapfMessage.endSession(5, CapfReason.OK));
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        EmbeddedChannel ch = decoder();
        for (byte x : both) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        }
        assertThat(((CapfMessage) ch.readInbound()).opcode()).isEqualTo(CapfOpcode.AUTH_REQUEST);
        assertThat(((CapfMessage) ch.readInbound()).opcode()).isEqualTo(CapfOpcode.END_SESSION);
        EmbeddedChannel ch2 = decoder();
        ch2.writeInbound(Unpooled.wrappedBuffer(both));
        assertThat((Object) ch2.readInbound()).isNotNull();
        assertThat((Object) ch2.readInbound()).isNotNull();
    }

    private static CapfWireException.Reason rejection(byte[] bytes) {
        EmbeddedChannel ch = decoder();
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
            ch.finish();
            ch.checkException();
        } catch (CapfWireException e) {
            assertThat(ch.isOpen()).as("channel closed after a bad message").isFalse();
            return e.reason();
        }
        throw new AssertionError("accepted " + HexFormat.of().formatHex(bytes));
    }

    @Test
    void rejectsWhatBreaksTheFormat() {
        assertThat(rejection(hex("57 01 00000001 0000"))).isEqualTo(CapfWireException.Reason.BAD_MAGIC);
        assertThat(rejection(hex("55 0e 00000001 0000"))).isEqualTo(CapfWireException.Reason.UNKNOWN_OPCODE);
        assertThat(rejection(hex("55 09 00000001 ffff"))).isEqualTo(CapfWireException.Reason.OVERSIZED_MESSAGE);
        assertThat(rejection(hex("55 01 00000001 0004 07 0005 03"))).isEqualTo(CapfWireException.Reason.TRUNCATED_ELEMENT);
        assertThat(rejection(hex("55 01 00000001 0002 07 00"))).isEqualTo(CapfWireException.Reason.TRUNCATED_ELEMENT);
        assertThat(rejection(hex("55 01 00000001 0005 07 0002 0303"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        assertThat(rejection(hex("55 03 00000001 0004 0a 0001 08"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        // device name without its NUL, and with a control character
        assertThat(rejection(hex("55 02 00000001 0005 0d 0002 4142"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        assertThat(rejection(hex("55 02 00000001 0006 0d 0003 410a00"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        assertThat(rejection(hex("55 01 00000001 0004 07"))).isEqualTo(CapfWireException.Reason.TRUNCATED_MESSAGE);
    }

    @Test
    void laterBytesAreDroppedAfterARejection() {
        EmbeddedChannel ch = decoder();
        byte[] good = encode(CapfMessage.authRequest(1, 3));
        byte[] bad = hex("55 0e 00000001 0000");
        byte[] both = new byte[bad.length + good.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        System.arraycopy(good, 0, both, bad.length, good.length);
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(both))).isInstanceOf(CapfWireException.class);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void factoriesRefuseWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> CapfMessage.authRequest(1L << 32, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CapfMessage.authResponse(1, "SEPé", 2, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CapfElement(CapfTag.PUBLIC_KEY, new byte[70000])).isInstanceOf(IllegalArgumentException.class);
    }
}
