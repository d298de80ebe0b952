package org.phoneemu.core.device;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A phone's MAC address: 12 upper-case hex digits, as CUCM and the phone write it in device and file names. The
 * one place that says what a MAC looks like and how the names built from it are spelled.
 *
 * @param hex 12 upper-case hex digits, e.g. {@code 001122334455}
 */
public record Mac(String hex) {
    private static final Pattern CANONICAL = Pattern.compile("[0-9A-F]{12}");
    private static final String DEVICE_PREFIX = "SEP";

    public Mac {
        if (hex == null || !CANONICAL.matcher(hex).matches()) {
            throw new IllegalArgumentException("MAC must be 12 upper-case hex digits: " + hex);
        }
    }

    /** Whether {@code text} is already a MAC as this type holds it (12 upper-case hex digits). */
    public static boolean isCanonical(String text) {
        return text != null && CANONICAL.matcher(text).matches();
    }

    /** 12 hex digits in either case; empty for anything else. */
    public static Optional<Mac> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String upper = text.toUpperCase(Locale.ROOT);
        return isCanonical(upper) ? Optional.of(new Mac(upper)) : Optional.empty();
    }

    /**
     * A MAC as people write it in files: either case, optionally {@code SEP}-prefixed, with {@code :}, {@code -} or
     * {@code .} separators and surrounding blanks ({@code SEP001122334455}, {@code 00:11:22:33:44:55}).
     */
    public static Optional<Mac> parseWritten(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String m = text.trim().toUpperCase(Locale.ROOT).replaceAll("[:.\\-]", "");
        if (m.startsWith(DEVICE_PREFIX)) {
            m = m.substring(DEVICE_PREFIX.length());
        }
        return parse(m);
    }

    /** {@code SEP<MAC>}: the phone's device name, the base of its file names on TFTP. */
    public String deviceName() {
        return DEVICE_PREFIX + hex;
    }

    /** {@code CP-<model>-SEP<MAC>}: the name in the phone's MIC and in its TVS requests, e.g. {@code CP-7970-SEP001122334455}. */
    public String tvsDeviceName(String model) {
        return "CP-" + model + "-" + deviceName();
    }

    @Override
    public String toString() {
        return hex;
    }
}
