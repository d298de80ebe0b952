package org.phoneemu.tvs.https;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import org.phoneemu.tls.client.ExchangeFailure;

/** What an HTTPS GET of the phone came to. */
public sealed interface HttpsResult {
    /** The decider allowed the server and it answered (any HTTP status). */
    record Ok(int status, String contentType, byte[] body) implements HttpsResult {
        public Ok {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The decider refused the server's certificate: nothing was sent. The phone shows {@link #UI_MESSAGE}. */
    record Refused(X509Certificate serverCertificate, String message) implements HttpsResult {
        public static final String UI_MESSAGE = "Host Not Found";
    }

    /** No answer: connect, TLS, decision or response failure. The request may or may not have been sent. */
    record Failed(ExchangeFailure reason, String message) implements HttpsResult {
    }
}
