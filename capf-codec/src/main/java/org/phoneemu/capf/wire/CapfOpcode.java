package org.phoneemu.capf.wire;

import java.util.Optional;

/**
 * The second byte of a CAPF message. Codes 1-4, 9, 10 and 15 are the ones seen on the wire between a Cisco
 * client and CUCM; 5-8 (fetch and delete) are this project's numbering (docs/CAPF.md §1).
 */
public enum CapfOpcode {
    /** Server, first message: which authentication it accepts. */
    AUTH_REQUEST(0x01),
    /** Phone: its device name, how it authenticates, the authentication string if any. */
    AUTH_RESPONSE(0x02),
    /** Server, install/upgrade: generate a key of this type and size. */
    KEY_GEN_REQUEST(0x03),
    /** Phone: the new public key (SubjectPublicKeyInfo, DER). */
    KEY_GEN_RESPONSE(0x04),
    /** Server, troubleshoot: send the certificate you hold. */
    FETCH_REQUEST(0x05),
    /** Phone: its LSC (else MIC). */
    FETCH_RESPONSE(0x06),
    /** Server, delete: remove your LSC. */
    DELETE_REQUEST(0x07),
    /** Phone: the LSC is gone. */
    DELETE_RESPONSE(0x08),
    /** Server: the issued LSC. */
    STORE_CERT_REQUEST(0x09),
    /** Phone: stored (or not). */
    STORE_CERT_RESPONSE(0x0a),
    /** Either side: the session is over, with a reason. */
    END_SESSION(0x0f);

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
