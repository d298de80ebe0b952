package org.phoneemu.tftp.packet;

import java.util.Optional;

/** ERROR packet codes: 0-7 from RFC 1350, 8 from RFC 2347 (option negotiation). */
public enum TftpErrorCode {
    NOT_DEFINED(0, "Not defined, see error message (if any)"),
    FILE_NOT_FOUND(1, "File not found"),
    ACCESS_VIOLATION(2, "Access violation"),
    DISK_FULL(3, "Disk full or allocation exceeded"),
    ILLEGAL_OPERATION(4, "Illegal TFTP operation"),
    UNKNOWN_TRANSFER_ID(5, "Unknown transfer ID"),
    FILE_EXISTS(6, "File already exists"),
    NO_SUCH_USER(7, "No such user"),
    OPTION_NEGOTIATION_FAILED(8, "Option negotiation failed");

    private final int code;
    private final String description;

    TftpErrorCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The 16-bit value on the wire. */
    public int code() {
        return code;
    }

    /** The RFC's wording, usable as a default error message. */
    public String description() {
        return description;
    }

    /** The enum constant for a wire value; empty for codes no RFC defines (peers may still send them). */
    public static Optional<TftpErrorCode> fromCode(int code) {
        return code >= 0 && code <= 8 ? Optional.of(values()[code]) : Optional.empty();
    }
}
