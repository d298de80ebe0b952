package org.phoneemu.core.trustlist;

/** Would a phone holding some trust lists accept a file's signature? */
public sealed interface SignerVerdict {
    /** The signer is a record of a suitable role in {@code list}, and the signature verifies with its key. */
    record Trusted(TrustList list, TrustRecord record) implements SignerVerdict {
    }

    /** Refused, with the reason a user can act on. */
    record Untrusted(Reason reason, String detail) implements SignerVerdict {
    }

    enum Reason {
        /** No record of any trust list names the signer (issuer + serial). */
        SIGNER_UNKNOWN,
        /** The signer is listed, but not in a role allowed to sign this kind of file. */
        ROLE_NOT_ALLOWED,
        /** The record has no usable public key. */
        NO_KEY,
        /** The signer is trusted but the signature does not verify: the file was altered. */
        BAD_SIGNATURE
    }
}
