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
    void authRequestCarriesVersionAndAuthType() {
        assertThat(encode(CapfMessage.authRequest(0x1234, 3, CapfTag.AUTH_NONE)))
                .isEqualTo(hex("55 01 00001234 0008 07 0001 03 08 0001 00"));
    }

    @Test
    void nullStringAnswerSendsAnEmptyPassword() {
        assertThat(encode(CapfMessage.authResponse(7, 3, "CSF123", Optional.empty(), Optional.empty())))
                .isEqualTo(hex("55 02 00000007 0016 01 0001 01 07 0001 03 0d 0007 435346313233 00 0b 0001 00"));
    }

    @Test
    void keyGenerateRequestNamesTheKeyTypeFirst() {
        assertThat(encode(CapfMessage.keyGenerateRsa(7, 2048))).isEqualTo(hex("55 03 00000007 0009 11 0001 00 0a 0002 0800"));
        assertThat(encode(CapfMessage.keyGenerateEc(7, CapfTag.CURVE_P384))).isEqualTo(hex("55 03 00000007 0008 11 0001 01 12 0001 01"));
    }

    @Test
    void certificateIsANestedElementWithItsType() {
        byte[] der = hex("3082000130");
        byte[] wire = encode(CapfMessage.storeCertificateRequest(9, der));
        assertThat(wire).isEqualTo(hex("55 09 00000009 0011 03 0001 01 04 000a 01 0007 00 01 3082000130"));
        EmbeddedChannel ch = decoder();
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        CapfMessage m = ch.readInbound();
        assertThat(m.certificate()).contains(new CapfCertificate(CapfTag.CERTIFICATE_LSC, der));
    }

    @Test
    void roundTripsEveryFactory() {
        CapfProof proof = new CapfProof(new CapfCertificate(CapfTag.CERTIFICATE_MIC, new byte[700]), new byte[256],
                new CapfSignature(CapfTag.HASH_SHA512, new byte[256]));
        List<CapfMessage> all = List.of(
                CapfMessage.authRequest(1, 3, CapfTag.AUTH_STRING),
                CapfMessage.authResponse(1, 3, "SEP001122334455", Optional.of("12345"), Optional.empty()),
                CapfMessage.keyGenerateEc(1, CapfTag.CURVE_P521),
                CapfMessage.requestInProgress(1),
                CapfMessage.keyGenerateResponse(1, new byte[300]),
                CapfMessage.storeCertificateRequest(1, new byte[900]),
                CapfMessage.withReason(CapfOpcode.STORE_CERTIFICATE_RESPONSE, 1, CapfReason.SUCCESS),
                CapfMessage.fetchCertificateRequest(1),
                CapfMessage.fetchCertificateResponse(1, new CapfCertificate(CapfTag.CERTIFICATE_LSC, new byte[10])),
                CapfMessage.deleteCertificateRequest(1),
                CapfMessage.retryLater(1, 90),
                CapfMessage.endSession(0xffffffffL, CapfReason.UNKNOWN_DEVICE),
                CapfMessage.authResponse(1, 3, "SEP001122334455", Optional.empty(), Optional.of(proof)));
        for (CapfMessage m : all) {
            EmbeddedChannel ch = decoder();
            ch.writeInbound(Unpooled.wrappedBuffer(encode(m)));
            CapfMessage back = ch.readInbound();
            assertThat(back).isEqualTo(m);
        }
        CapfMessage auth = all.get(1);
        assertThat(auth.deviceName()).contains("SEP001122334455");
        assertThat(auth.password()).contains("12345");
        assertThat(auth.version()).hasValue(3);
        assertThat(all.get(2).keyType()).hasValue(CapfTag.KEY_EC);
        assertThat(all.get(2).curve()).hasValue(CapfTag.CURVE_P521);
        assertThat(all.get(10).retryDelay()).hasValue(90);
        assertThat(all.get(11).reason()).hasValue(9);
        assertThat(all.get(12).proof()).contains(proof);
        assertThat(all.get(12).password()).isEmpty();
    }

    @Test
    void splitAndCoalescedReads() {
        byte[] a = encode(CapfMessage.authRequest(5, 3, 0));
        byte[] b = encode(CapfMessage.endSession(5, CapfReason.SUCCESS));
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
        assertThat(rejection(hex("55 18 00000001 0000"))).isEqualTo(CapfWireException.Reason.UNKNOWN_OPCODE);
        assertThat(rejection(hex("55 00 00000001 0000"))).isEqualTo(CapfWireException.Reason.UNKNOWN_OPCODE);
        assertThat(rejection(hex("55 09 00000001 ffff"))).isEqualTo(CapfWireException.Reason.OVERSIZED_MESSAGE);
        assertThat(rejection(hex("55 01 00000001 0004 07 0005 03"))).isEqualTo(CapfWireException.Reason.TRUNCATED_ELEMENT);
        assertThat(rejection(hex("55 01 00000001 0002 07 00"))).isEqualTo(CapfWireException.Reason.TRUNCATED_ELEMENT);
        assertThat(rejection(hex("55 01 00000001 0005 07 0002 0303"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        assertThat(rejection(hex("55 03 00000001 0004 0a 0001 08"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        // a password without its NUL; a certificate whose nested length is wrong or that is not nested at all
        assertThat(rejection(hex("55 02 00000001 0005 0b 0002 3132"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        assertThat(rejection(hex("55 09 00000001 000a 04 0007 01 0005 0001 3003"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        assertThat(rejection(hex("55 09 00000001 0008 04 0005 3003020101"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        // SHA2_SIGNED_DATA whose length is not what it holds
        assertThat(rejection(hex("55 02 00000001 0007 14 0004 03 0002 aa"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        // device name without its NUL, and with a control character
        assertThat(rejection(hex("55 02 00000001 0005 0d 0002 4142"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        assertThat(rejection(hex("55 02 00000001 0006 0d 0003 410a00"))).isEqualTo(CapfWireException.Reason.BAD_ELEMENT);
        assertThat(rejection(hex("55 01 00000001 0004 07"))).isEqualTo(CapfWireException.Reason.TRUNCATED_MESSAGE);
    }

    @Test
    void laterBytesAreDroppedAfterARejection() {
        EmbeddedChannel ch = decoder();
        byte[] good = encode(CapfMessage.authRequest(1, 3, 0));
        byte[] bad = hex("55 18 00000001 0000");
        byte[] both = new byte[bad.length + good.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        System.arraycopy(good, 0, both, bad.length, good.length);
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(both))).isInstanceOf(CapfWireException.class);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void factoriesRefuseWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> CapfMessage.authRequest(1L << 32, 3, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CapfMessage.authResponse(1, 3, "SEPé", Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CapfMessage.keyGenerateRsa(1, 70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CapfElement(CapfTag.PUBLIC_KEY, new byte[70000])).isInstanceOf(IllegalArgumentException.class);
    }
}
