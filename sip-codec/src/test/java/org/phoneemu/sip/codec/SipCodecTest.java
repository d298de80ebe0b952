package org.phoneemu.sip.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipCodecTest {
    static final String REGISTER = "REGISTER sip:127.0.0.2 SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 127.0.0.1:50000;branch=z9hG4bK1234\r\n"
            + "From: <sip:SEP001122334455@127.0.0.2>;tag=abc\r\n"
            + "To: <sip:SEP001122334455@127.0.0.2>\r\n"
            + "Call-ID: 00112233-44550001@127.0.0.1\r\n"
            + "CSeq: 101 REGISTER\r\n"
            + "Contact: <sip:SEP001122334455@127.0.0.1:50000;transport=tls>;+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-001122334455>\"\r\n"
            + "Expires: 3600\r\n"
            + "Content-Length: 0\r\n\r\n";

    static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void decodesARequestSplitAnywhereAndTwoCoalescedResponses() {
        byte[] all = REGISTER.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < all.length; cut += 37) {
            EmbeddedChannel ch = new EmbeddedChannel(new SipMessageDecoder());
            ch.writeInbound(Unpooled.wrappedBuffer(all, 0, cut));
            ch.writeInbound(Unpooled.wrappedBuffer(all, cut, all.length - cut));
            SipMessage.Request r = ch.readInbound();
            assertThat(r.method()).isEqualTo("REGISTER");
            assertThat(r.uri()).isEqualTo("sip:127.0.0.2");
            assertThat(r.header("v")).contains("SIP/2.0/TLS 127.0.0.1:50000;branch=z9hG4bK1234");
            assertThat(r.header("contact").orElseThrow()).contains("+sip.instance");
        }
        EmbeddedChannel ch = new EmbeddedChannel(new SipMessageDecoder());
        ch.writeInbound(buf("\r\n\r\nSIP/2.0 100 Trying\r\nl: 0\r\n\r\nSIP/2.0 200 OK\r\nContent-Length: 4\r\nX-Folded: a\r\n  b\r\n\r\nbody"));
        SipMessage.Response trying = ch.readInbound();
        SipMessage.Response ok = ch.readInbound();
        assertThat(trying.provisional()).isTrue();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.reason()).isEqualTo("OK");
        assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo("body");
        assertThat(ok.header("x-folded")).contains("a b");
    }

    @Test
    void encoderWritesOneContentLengthAndTheDecoderReadsItBack() {
        SipMessage.Response r = new SipMessage.Response(403, "Forbidden", SipHeaders.builder()
                .add("Via", "SIP/2.0/TCP 127.0.0.1:5000;branch=z9hG4bKx").add("Content-Length", "99")
                .add("Warning", "399 cucmpub \"Device security mismatch: expected TLS\"").build(), new byte[0]);
        EmbeddedChannel out = new EmbeddedChannel(SipMessageEncoder.INSTANCE);
        out.writeOutbound(r);
        ByteBuf bytes = out.readOutbound();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("SIP/2.0 403 Forbidden\r\nVia: SIP/2.0/TCP 127.0.0.1:5000;branch=z9hG4bKx\r\n"
                + "Warning: 399 cucmpub \"Device security mismatch: expected TLS\"\r\nContent-Length: 0\r\n\r\n");
        EmbeddedChannel in = new EmbeddedChannel(new SipMessageDecoder());
        in.writeInbound(bytes);
        SipMessage.Response back = in.readInbound();
        assertThat(back.status()).isEqualTo(403);
        assertThat(back.text()).isEqualTo(text);
    }

    @Test
    void refusesWhatBreaksTheFramingAndClosesTheChannel() {
        assertRefused("REGISTER sip:x SIP/2.0\r\nVia: a\r\n\r\n", SipCodecException.Reason.MISSING_CONTENT_LENGTH);
        assertRefused("REGISTER sip:x SIP/2.0\r\nContent-Length: -1\r\n\r\n", SipCodecException.Reason.BAD_CONTENT_LENGTH);
        assertRefused("REGISTER sip:x SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\n", SipCodecException.Reason.BAD_CONTENT_LENGTH);
        assertRefused("REGISTER sip:x SIP/2.0\r\nContent-Length: 999999\r\n\r\n", SipCodecException.Reason.BODY_TOO_LARGE);
        assertRefused("HELLO WORLD\r\nContent-Length: 0\r\n\r\n", SipCodecException.Reason.BAD_START_LINE);
        assertRefused("SIP/2.0 99 Low\r\nContent-Length: 0\r\n\r\n", SipCodecException.Reason.BAD_START_LINE);
        assertRefused("REGISTER sip:x\u0001y SIP/2.0\r\nContent-Length: 0\r\n\r\n", SipCodecException.Reason.BAD_START_LINE);
        assertRefused("REGISTER sip:x\u007fy SIP/2.0\r\nContent-Length: 0\r\n\r\n", SipCodecException.Reason.BAD_START_LINE);
        assertRefused("REGISTER sip:x SIP/2.0\r\nno colon here\r\nContent-Length: 0\r\n\r\n", SipCodecException.Reason.BAD_HEADER);
        assertRefused("REGISTER sip:x SIP/2.0\r\nX: a\nb\r\nContent-Length: 0\r\n\r\n", SipCodecException.Reason.BAD_HEADER);
        assertRefused("REGISTER sip:x SIP/2.0\r\n" + "X: y\r\n".repeat(65) + "Content-Length: 0\r\n\r\n",
                SipCodecException.Reason.TOO_MANY_HEADERS);
        // No blank line within the limit: refused as soon as the limit is reached, not when the peer stops.
        assertRefused("REGISTER sip:x SIP/2.0\r\nX: " + "a".repeat(9000), SipCodecException.Reason.HEADER_TOO_LARGE);
    }

    @Test
    void aStreamCutInsideAMessageIsAViolationAndLaterBytesAreDropped() {
        Catch cut = new Catch();
        EmbeddedChannel ch = new EmbeddedChannel(new SipMessageDecoder(), cut);
        ch.writeInbound(buf("SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        ch.close();
        assertThat(cut.caught.reason()).isEqualTo(SipCodecException.Reason.TRUNCATED);

        EmbeddedChannel bad = new EmbeddedChannel(new SipMessageDecoder(), new Catch());
        bad.writeInbound(buf("garbage\r\n\r\n"));
        assertThat(bad.isOpen()).isFalse();
        assertThat((Object) bad.readInbound()).isNull();
    }

    @Test
    void valuesThatWouldBreakTheFramingCannotBeBuilt() {
        assertThatThrownBy(() -> SipHeaders.builder().add("X", "a\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SipHeaders.builder().add("Bad Name", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SipMessage.Response(200, "OK\r\n", SipHeaders.builder().build(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static void assertRefused(String stream, SipCodecException.Reason reason) {
        Catch c = new Catch();
        EmbeddedChannel ch = new EmbeddedChannel(new SipMessageDecoder(), c);
        ch.writeInbound(buf(stream));
        assertThat(c.caught).as(stream).isNotNull();
        assertThat(c.caught.reason()).as(stream).isEqualTo(reason);
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readInbound()).isNull();
    }

    static final class Catch extends io.netty.channel.ChannelInboundHandlerAdapter {
        SipCodecException caught;

        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            if (caught == null && cause instanceof SipCodecException e) {
                caught = e;
            }
        }
    }
}
