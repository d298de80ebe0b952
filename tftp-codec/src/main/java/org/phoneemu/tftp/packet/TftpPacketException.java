package org.phoneemu.tftp.packet;

/** A datagram that is not a well-formed TFTP packet; {@link #reason()} says what is wrong. */
public final class TftpPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What made the packet malformed. */
    public enum Reason {
        /** Shorter than its opcode requires (includes a missing opcode). */
        TRUNCATED,
        /** The opcode is not 1-6. */
        UNKNOWN_OPCODE,
        /** A string field (filename, mode, option, error message) has no terminating NUL. */
        MISSING_NUL,
        /** Empty filename. */
        EMPTY_FILENAME,
        /** The transfer mode is empty or not printable US-ASCII. */
        BAD_MODE,
        /** An option name without value, a duplicate, a non-ASCII name, or a value that is not a number or is out of range. */
        BAD_OPTION,
        /** Bytes after the last field of a fixed-size packet (ACK, ERROR). */
        TRAILING_BYTES,
        /** A DATA payload larger than the largest block size (65464, RFC 2348). */
        OVERSIZED
    }

    private final Reason reason;

    public TftpPacketException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
