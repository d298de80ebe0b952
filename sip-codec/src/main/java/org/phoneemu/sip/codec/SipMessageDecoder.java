package org.phoneemu.sip.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phoneemu.sip.codec.SipCodecException.Reason;
import org.phoneemu.wire.StrictDecoder;

/**
 * SIP messages from a stream (TCP or TLS; RFC 3261 §7.5, §18.3): the header ends at the first blank line, the body is
 * exactly Content-Length bytes, which a stream message must carry. Strict and bounded ({@link SipLimits}): a header
 * over the limit is refused as soon as that many bytes arrived without a blank line, a body over the limit is refused
 * from its Content-Length without waiting for it. CRLFs between messages (the keep-alive of RFC 5626 §3.5.1) are
 * skipped. On the first violation the {@link SipCodecException} goes down the pipeline and the channel is closed
 * ({@link StrictDecoder}).
 */
public final class SipMessageDecoder extends StrictDecoder<SipMessage> {
    /** The Request-URI in visible ASCII only: a control character or non-ASCII is a malformed start line. */
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Za-z0-9.!%*_+`'~-]+) ([!-~]+) SIP/2\\.0");
    private static final Pattern STATUS_LINE = Pattern.compile("SIP/2\\.0 ([1-6][0-9][0-9]) ([^\\r\\n]*)");

    private final SipLimits limits;
    /** The parsed head of a message whose body has not fully arrived (so it is not parsed again). */
    private Head pending;

    public SipMessageDecoder() {
        this(SipLimits.defaults());
    }

    public SipMessageDecoder(SipLimits limits) {
        super(SipCodecException.class);
        this.limits = limits;
    }

    private record Head(String startLine, SipHeaders headers, int headLength, int bodyLength) {
    }

    @Override
    protected SipMessage next(ByteBuf in) {
        if (pending == null) {
            while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                return null;
            }
            int end = blankLine(in);
            if (end < 0) {
                if (in.readableBytes() >= limits.maxHeaderBytes() + 4) {
                    throw new SipCodecException(Reason.HEADER_TOO_LARGE, "no end of header within " + limits.maxHeaderBytes() + " bytes");
                }
                return null;
            }
            pending = head(in, end);
        }
        Head h = pending;
        if (in.readableBytes() < h.headLength() + h.bodyLength()) {
            return null;
        }
        pending = null;
        in.skipBytes(h.headLength());
        byte[] body = new byte[h.bodyLength()];
        in.readBytes(body);
        return message(h, body);
    }

    @Override
    protected RuntimeException truncated(int have) {
        return new SipCodecException(Reason.TRUNCATED, "the stream ended " + have + " bytes into a message");
    }

    /** Offset (from the reader index) just past the CRLFCRLF ending the header, searched within the limit; -1 if absent. */
    private int blankLine(ByteBuf in) {
        int start = in.readerIndex();
        int limit = Math.min(in.readableBytes(), limits.maxHeaderBytes() + 4);
        for (int i = 3; i < limit; i++) {
            if (in.getByte(start + i) == '\n' && in.getByte(start + i - 1) == '\r' && in.getByte(start + i - 2) == '\n'
                    && in.getByte(start + i - 3) == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private Head head(ByteBuf in, int headLength) {
        String[] lines = text(in, headLength).split("\r\n", -1);
        String startLine = lines[0];
        if (!REQUEST_LINE.matcher(startLine).matches() && !STATUS_LINE.matcher(startLine).matches()) {
            throw new SipCodecException(Reason.BAD_START_LINE, "'" + cut(startLine) + "'");
        }
        SipHeaders headers = headers(unfolded(lines));
        return new Head(startLine, headers, headLength, contentLength(headers));
    }

    /** The header without its blank line, as UTF-8 text. */
    private static String text(ByteBuf in, int headLength) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes(in, headLength - 4))).toString();
        } catch (CharacterCodingException e) {
            throw new SipCodecException(Reason.BAD_HEADER, "the header is not UTF-8 text");
        }
    }

    /** The header fields after the start line, each continuation line joined to its field. */
    private List<String> unfolded(String[] lines) {
        List<String> unfolded = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (l.indexOf('\r') >= 0 || l.indexOf('\n') >= 0 || l.indexOf('\0') >= 0) {
                throw new SipCodecException(Reason.BAD_HEADER, "a bare CR, LF or NUL in '" + cut(l) + "'");
            }
            if (!l.isEmpty() && (l.charAt(0) == ' ' || l.charAt(0) == '\t')) {
                if (unfolded.isEmpty()) {
                    throw new SipCodecException(Reason.BAD_HEADER, "a continuation line before any header");
                }
                unfolded.set(unfolded.size() - 1, unfolded.get(unfolded.size() - 1) + " " + l.strip());
                continue;
            }
            unfolded.add(l);
            if (unfolded.size() > limits.maxHeaders()) {
                throw new SipCodecException(Reason.TOO_MANY_HEADERS, "more than " + limits.maxHeaders() + " header fields");
            }
        }
        return unfolded;
    }

    private static SipHeaders headers(List<String> unfolded) {
        SipHeaders.Builder b = SipHeaders.builder();
        for (String l : unfolded) {
            int colon = l.indexOf(':');
            String name = colon < 0 ? "" : l.substring(0, colon).strip();
            if (colon < 0 || !SipHeaders.isToken(name)) {
                throw new SipCodecException(Reason.BAD_HEADER, "'" + cut(l) + "'");
            }
            b.add(name, l.substring(colon + 1).strip());
        }
        return b.build();
    }

    /** The body's length: Content-Length is required over a stream, and repeated only with the same value. */
    private int contentLength(SipHeaders headers) {
        List<String> lengths = headers.all("Content-Length");
        if (lengths.isEmpty()) {
            throw new SipCodecException(Reason.MISSING_CONTENT_LENGTH, "a message over a stream must carry Content-Length");
        }
        int length = -1;
        for (String v : lengths) {
            if (!v.matches("[0-9]{1,9}")) {
                throw new SipCodecException(Reason.BAD_CONTENT_LENGTH, "'" + cut(v) + "'");
            }
            int n = Integer.parseInt(v);
            if (length >= 0 && n != length) {
                throw new SipCodecException(Reason.BAD_CONTENT_LENGTH, "two different values");
            }
            length = n;
        }
        if (length > limits.maxBodyBytes()) {
            throw new SipCodecException(Reason.BODY_TOO_LARGE, length + " bytes, over " + limits.maxBodyBytes());
        }
        return length;
    }

    private static SipMessage message(Head h, byte[] body) {
        Matcher r = REQUEST_LINE.matcher(h.startLine());
        if (r.matches()) {
            return new SipMessage.Request(r.group(1), r.group(2), h.headers(), body);
        }
        Matcher s = STATUS_LINE.matcher(h.startLine());
        s.matches();
        return new SipMessage.Response(Integer.parseInt(s.group(1)), s.group(2), h.headers(), body);
    }

    private static byte[] bytes(ByteBuf in, int n) {
        byte[] b = new byte[n];
        in.getBytes(in.readerIndex(), b);
        return b;
    }

    private static String cut(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
