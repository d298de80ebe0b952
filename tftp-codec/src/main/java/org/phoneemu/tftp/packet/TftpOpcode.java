package org.phoneemu.tftp.packet;

/** TFTP opcodes with their wire values (RFC 1350; OACK from RFC 2347). */
public enum TftpOpcode {
    RRQ(1),
    WRQ(2),
    DATA(3),
    ACK(4),
    ERROR(5),
    OACK(6);

    private final int code;

    TftpOpcode(int code) {
        this.code = code;
    }

    /** The 16-bit value on the wire. */
    public int code() {
        return code;
    }

    /** The opcode for a wire value, or {@code null} when the value is not a TFTP opcode. */
    public static TftpOpcode fromCode(int code) {
        return code >= 1 && code <= 6 ? values()[code - 1] : null;
    }
}
