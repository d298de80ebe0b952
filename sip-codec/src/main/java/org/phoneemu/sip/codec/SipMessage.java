package org.phoneemu.sip.codec;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A SIP request or response: start line, header fields, body (Content-Length is the body's, written by the encoder). */
public sealed interface SipMessage permits SipMessage.Request, SipMessage.Response {
    /** The version every message must carry. */
    String VERSION = "SIP/2.0";

    SipHeaders headers();

    /** The body's bytes (a copy is never made: treat as read-only). */
    byte[] body();

    /** The start line as sent, without CRLF. */
    String startLine();

    default Optional<String> header(String name) {
        return headers().first(name);
    }

    /** The whole message as text (for traces and tests). */
    default String text() {
        StringBuilder b = new StringBuilder(startLine()).append("\r\n");
        for (SipHeaders.Field f : headers().without("Content-Length").fields()) {
            b.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        b.append("Content-Length: ").append(body().length).append("\r\n\r\n");
        return b.append(new String(body(), StandardCharsets.UTF_8)).toString();
    }

    /** {@code METHOD uri SIP/2.0}. */
    record Request(String method, String uri, SipHeaders headers, byte[] body) implements SipMessage {
        public Request {
            if (method == null || !SipHeaders.isToken(method)) {
                throw new IllegalArgumentException("not a SIP method: " + method);
            }
            if (uri == null || uri.isEmpty() || uri.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("not a Request-URI: " + uri);
            }
            body = body == null ? new byte[0] : body;
        }

        @Override
        public String startLine() {
            return method + " " + uri + " " + VERSION;
        }
    }

    /** {@code SIP/2.0 status reason}. */
    record Response(int status, String reason, SipHeaders headers, byte[] body) implements SipMessage {
        public Response {
            if (status < 100 || status > 699) {
                throw new IllegalArgumentException("not a SIP status: " + status);
            }
            if (reason == null || reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a reason phrase may not hold CR or LF");
            }
            body = body == null ? new byte[0] : body;
        }

        @Override
        public String startLine() {
            return VERSION + " " + status + " " + reason;
        }

        /** 1xx. */
        public boolean provisional() {
            return status < 200;
        }
    }
}
