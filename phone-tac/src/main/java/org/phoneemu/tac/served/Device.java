package org.phoneemu.tac.served;

import java.util.Locale;

/** A phone the tools look at: its MAC (12 upper-case hex digits) and model. */
public record Device(String mac, String model) {
    /** The model of a phone nothing names one for. */
    public static final String DEFAULT_MODEL = "7970";

    public Device {
        mac = mac.toUpperCase(Locale.ROOT);
        if (!mac.matches("[0-9A-F]{12}")) {
            throw new IllegalArgumentException("MAC must be 12 hex digits, not '" + mac + "'");
        }
    }

    public String name() {
        return "SEP" + mac;
    }
}
