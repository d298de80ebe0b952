package org.phoneemu.cli;

/** A failure caused by the user's input: printed as one line, never as a stack trace. */
final class UserError extends RuntimeException {
    private final int exitCode;

    UserError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
