package org.phoneemu.core.device;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Cisco IP phone model as it appears in the phone's device name {@code CP-<model>-SEP<MAC>}: four digits, with the
 * letters some models carry ({@code 7970}, {@code 7965G}, {@code 8865NR}). The one place that says what a model looks
 * like, so a typo ({@code --model foo}) is caught before a TVS server sees a name it does not know.
 *
 * @param name the model, e.g. {@code 7970}
 */
public record PhoneModel(String name) {
    private static final Pattern MODEL = Pattern.compile("[0-9]{4}[A-Z]{0,3}");
    private static final Pattern TVS_DEVICE_NAME = Pattern.compile("CP-([0-9]{4}[A-Z]{0,3})-SEP([0-9A-F]{12})");

    public PhoneModel {
        if (name == null || !MODEL.matcher(name).matches()) {
            throw new IllegalArgumentException("not a phone model: " + name);
        }
    }

    /** {@code 7970}, {@code 7965g}, {@code CP-8865NR}: either case, optionally {@code CP-}-prefixed; empty for anything else. */
    public static Optional<PhoneModel> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String m = text.trim().toUpperCase(Locale.ROOT);
        if (m.startsWith("CP-")) {
            m = m.substring(3);
        }
        return MODEL.matcher(m).matches() ? Optional.of(new PhoneModel(m)) : Optional.empty();
    }

    /** Whether {@code name} is a device name as a phone sends it to TVS ({@code CP-7970-SEP001122334455}). */
    public static boolean isTvsDeviceName(String name) {
        Matcher m = TVS_DEVICE_NAME.matcher(name == null ? "" : name);
        return m.matches();
    }

    @Override
    public String toString() {
        return name;
    }
}
