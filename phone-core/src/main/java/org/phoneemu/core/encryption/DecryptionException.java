package org.phoneemu.core.encryption;

/** Why an encrypted configuration could not be turned back into its plaintext. */
public final class DecryptionException extends Exception {
    public enum Reason {
        /** The file has no encryption fields. */
        NOT_ENCRYPTED,
        /** Cipher code other than AES-128. */
        UNSUPPORTED_CIPHER,
        /** The AES key cannot be unwrapped: the file was encrypted to another phone's certificate. */
        WRONG_KEY,
        /** The ciphertext is not a whole number of AES blocks. */
        MALFORMED_CIPHERTEXT,
        /** The plaintext does not end in the declared {@code 0x0D} padding. */
        BAD_PADDING,
        /** The decrypted XML does not match the hash in the header. */
        HASH_MISMATCH
    }

    private final Reason reason;

    public DecryptionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
