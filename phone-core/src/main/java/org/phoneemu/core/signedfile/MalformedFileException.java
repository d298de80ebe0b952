package org.phoneemu.core.signedfile;

/**
 * The one exception a parser of signed files and trust lists throws for bad input: it names the byte
 * offset and the tag (when one was being read) so a user can find the fault in a hex dump.
 */
public final class MalformedFileException extends Exception {
    private final int offset;
    private final int tag;
    private final String reason;

    public MalformedFileException(int offset, int tag, String reason) {
        super(format(offset, tag, reason));
        this.offset = offset;
        this.tag = tag;
        this.reason = reason;
    }

    private static String format(int offset, int tag, String reason) {
        return tag >= 0
                ? "malformed file at byte " + offset + " (tag " + tag + "): " + reason
                : "malformed file at byte " + offset + ": " + reason;
    }

    /** Byte offset of the fault from the start of the file. */
    public int offset() {
        return offset;
    }

    /** The tag being read, or -1 when the fault is not inside a tag. */
    public int tag() {
        return tag;
    }

    public String reason() {
        return reason;
    }
}
