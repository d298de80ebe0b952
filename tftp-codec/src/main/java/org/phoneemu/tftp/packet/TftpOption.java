package org.phoneemu.tftp.packet;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The numeric options this codec knows, with their RFC ranges. Option names are case-insensitive
 * (RFC 2347) and kept lower-case; values of known options must be decimal numbers within range, values of
 * unknown options are kept as they are (a server ignores options it does not know).
 */
public enum TftpOption {
    /** RFC 2348: data bytes per block, 8-65464. */
    BLKSIZE("blksize", 8, 65_464),
    /** RFC 2349: seconds to wait before retransmitting, 1-255. */
    TIMEOUT("timeout", 1, 255),
    /** RFC 2349: transfer size in bytes; 0 in an RRQ asks the server for the size. */
    TSIZE("tsize", 0, Long.MAX_VALUE),
    /** RFC 7440: blocks per window, 1-65535. */
    WINDOWSIZE("windowsize", 1, 65_535);

    /** The block size when none was negotiated (RFC 1350). */
    public static final int DEFAULT_BLOCK_SIZE = 512;

    private final String wireName;
    private final long min;
    private final long max;

    TftpOption(String wireName, long min, long max) {
        this.wireName = wireName;
        this.min = min;
        this.max = max;
    }

    /** The lower-case name sent on the wire. */
    public String wireName() {
        return wireName;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** The known option with this (case-insensitive) name, or {@code null}. */
    public static TftpOption byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (TftpOption o : values()) {
            if (o.wireName.equals(lower)) {
                return o;
            }
        }
        return null;
    }

    /** The option's value in {@code options} (lower-case names), already validated by the packet. */
    public OptionalLong valueIn(Map<String, String> options) {
        String v = options.get(wireName);
        return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
    }

    /** As {@link #valueIn} for the int-sized options (blksize, timeout, windowsize). */
    public OptionalInt intValueIn(Map<String, String> options) {
        OptionalLong v = valueIn(options);
        return v.isPresent() ? OptionalInt.of(Math.toIntExact(v.getAsLong())) : OptionalInt.empty();
    }

    /** Why {@code value} is not acceptable for this option, or {@code null} when it is. */
    String problem(String value) {
        if (value.isEmpty() || value.length() > 19) {
            return "option " + wireName + " value is not a number: '" + value + "'";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return "option " + wireName + " value is not a number: '" + value + "'";
            }
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return "option " + wireName + " value is out of range: " + value;
        }
        if (n < min || n > max) {
            return "option " + wireName + " value " + n + " is out of range " + min + "-" + max;
        }
        return null;
    }
}
