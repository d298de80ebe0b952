package org.phoneemu.fleet;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** One phone of a fleet: its MAC (12 upper-case hex digits), its model, and optionally an LSC file (PEM with key). */
public record Device(String mac, String model, Optional<Path> lscPem) {
    public Device {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lscPem, "lscPem");
        if (!mac.matches("[0-9A-Fa-f]{12}")) {
            throw new IllegalArgumentException("MAC must be 12 hex digits, not '" + mac + "'");
        }
        mac = mac.toUpperCase(Locale.ROOT);
    }

    public Device(String mac, String model) {
        this(mac, model, Optional.empty());
    }

    /** {@code SEP<MAC>}. */
    public String name() {
        return "SEP" + mac;
    }
}
