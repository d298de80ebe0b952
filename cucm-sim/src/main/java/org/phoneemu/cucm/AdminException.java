package org.phoneemu.cucm;

/** An admin operation CUCM refuses; the message is CUCM's own text (e.g. "This is not a Publisher Node"). */
public class AdminException extends Exception {
    private static final long serialVersionUID = 1L;

    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
