package org.phoneemu.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code vendorConfig} access flags. Values are kept as the XML gives them; the accessors say what they
 * mean on the phone (docs/FORMATS.md §4).
 */
public record VendorConfig(Map<String, String> values) {
    public VendorConfig {
        values = Map.copyOf(values);
    }

    public Optional<Integer> intValue(String name) {
        String v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code settingsAccess} 1 (or absent) lets the user erase the CTL/ITL from the Trust List menu. */
    public boolean settingsAccessAllowed() {
        return intValue("settingsAccess").map(v -> v != 0).orElse(true);
    }

    /** {@code webAccess} 0 = the phone's web page is on. */
    public boolean webPageEnabled() {
        return intValue("webAccess").map(v -> v == 0).orElse(true);
    }

    /** {@code sshAccess} 0 = SSH on. */
    public boolean sshEnabled() {
        return intValue("sshAccess").map(v -> v == 0).orElse(false);
    }

    /** {@code spanToPCPort} 0 = SPAN to the PC port on. */
    public boolean spanToPcPort() {
        return intValue("spanToPCPort").map(v -> v == 0).orElse(false);
    }
}
