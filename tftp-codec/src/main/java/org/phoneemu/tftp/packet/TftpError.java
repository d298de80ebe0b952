package org.phoneemu.tftp.packet;

import java.util.Objects;
import java.util.Optional;

/**
 * ERROR (opcode 5). {@code code} is the raw 16-bit value so codes beyond RFC 2347 survive a round trip;
 * {@link #errorCode()} maps it to {@link TftpErrorCode}.
 */
public record TftpError(int code, String message) implements TftpPacket {
    public TftpError {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("error code out of range: " + code);
        }
        Objects.requireNonNull(message, "message");
        if (message.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("error message contains NUL");
        }
    }

    public TftpError(TftpErrorCode code, String message) {
        this(code.code(), message);
    }

    /** An error with the RFC's own wording as message. */
    public static TftpError of(TftpErrorCode code) {
        return new TftpError(code.code(), code.description());
    }

    public Optional<TftpErrorCode> errorCode() {
        return TftpErrorCode.fromCode(code);
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.ERROR;
    }
}
