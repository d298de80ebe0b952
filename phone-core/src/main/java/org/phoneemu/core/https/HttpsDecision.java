package org.phoneemu.core.https;

import java.security.cert.X509Certificate;

/** The phone's verdict on an HTTPS server certificate. */
public sealed interface HttpsDecision {
    /** Where the phone found the certificate trusted. */
    enum Source { CTL, ITL, TVS_CACHE, TVS }

    /** Go ahead: send the request. */
    record Allowed(Source source) implements HttpsDecision {
    }

    /** Not in the CTL, ITL or TVS cache: ask the TVS servers, then {@link HttpsCertificateCheck#resume}. */
    record NeedsTvs(X509Certificate certificate, String serverAddress) implements HttpsDecision {
    }

    /** Refused: the request is never sent and the user sees "Host Not Found". */
    record Refused(String reason) implements HttpsDecision {
    }
}
