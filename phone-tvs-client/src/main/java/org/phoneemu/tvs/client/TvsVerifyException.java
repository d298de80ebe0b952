package org.phoneemu.tvs.client;

/** A {@link TvsVerifyRequest} that cannot be built or run; the message is fit for a user. */
public final class TvsVerifyException extends Exception {
    private static final long serialVersionUID = 1L;

    public TvsVerifyException(String message) {
        super(message);
    }

    public TvsVerifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
