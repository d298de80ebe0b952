package org.phoneemu.capf.wire;

import java.util.Optional;

/**
 * The second byte of a CAPF message: codes 1 to 23, numbered as the independent CAPF implementation used with real
 * phones numbers them (docs/CAPF.md §1). This project sends and answers the ones marked in that table; the decoder
 * knows all 23, so a peer's status or abort request is read, then answered or refused by the session.
 */
public enum CapfOpcode {
    /** Server, first message: VERSION and AUTH_TYPE. */
    AUTH_REQUEST(1),
    /** Phone: REASON, VERSION echoed, DEVICE_NAME, PASSWORD, and its proof when it authenticates by certificate. */
    AUTH_RESPONSE(2),
    /** Server, install/upgrade: KEY_TYPE, then KEY_SIZE (RSA) or CURVE (EC). */
    KEY_GENERATE_REQUEST(3),
    /** Phone: PUBLIC_KEY, the new key's SubjectPublicKeyInfo. */
    KEY_GENERATE_RESPONSE(4),
    ENCRYPT_RESPONSE(5),
    ENCRYPT_REQUEST(6),
    DECRYPT_REQUEST(7),
    DECRYPT_RESPONSE(8),
    /** Server: CERTIFICATE_TYPE and CERTIFICATE, the issued LSC. */
    STORE_CERTIFICATE_REQUEST(9),
    /** Phone: REASON. */
    STORE_CERTIFICATE_RESPONSE(10),
    /** Server, troubleshoot: send the certificate you hold. */
    FETCH_CERTIFICATE_REQUEST(11),
    /** Phone: REASON and CERTIFICATE (its LSC, else its MIC). */
    FETCH_CERTIFICATE_RESPONSE(12),
    /** Server: remove your LSC. */
    DELETE_CERTIFICATE_REQUEST(13),
    /** Phone: REASON. */
    DELETE_CERTIFICATE_RESPONSE(14),
    /** Either side: REASON, the session is over. */
    END_SESSION(15),
    /** Server: come back after RETRY_DELAY seconds. */
    RETRY_LATER(16),
    /** Phone: working on it (sent before a KEY_GENERATE_RESPONSE that takes time). */
    REQUEST_IN_PROGRESS(17),
    STATUS_REQUEST(18),
    STATUS_RESPONSE(19),
    ABORT_REQUEST(20),
    ABORT_RESPONSE(21),
    SIGN_CERTIFICATE_REQUEST(22),
    SIGN_CERTIFICATE_RESPONSE(23);

    private final int code;

    CapfOpcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<CapfOpcode> of(int code) {
        for (CapfOpcode o : values()) {
            if (o.code == code) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
