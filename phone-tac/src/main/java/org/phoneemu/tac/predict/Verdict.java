package org.phoneemu.tac.predict;

import java.util.Locale;

/** How a phone's boot ends, as {@code BootReport.verdict()} says it. */
public enum Verdict {
    TRUSTED, LOCKED, CONFIG_REFUSED, ERROR;

    /** From the report's values (its error, trust-list failure and config flags). */
    public static Verdict of(org.phoneemu.phone.BootReport r) {
        return r.error().isPresent() ? ERROR : r.trusted() ? TRUSTED : r.locked() ? LOCKED : CONFIG_REFUSED;
    }

    public static Verdict of(String bootVerdict) {
        return switch (bootVerdict) {
            case "trusted" -> TRUSTED;
            case "locked" -> LOCKED;
            case "config refused" -> CONFIG_REFUSED;
            default -> ERROR;
        };
    }

    public String label() {
        return switch (this) {
            case TRUSTED -> "trusted";
            case LOCKED -> "locked, \"Trust List Update Failed\"";
            case CONFIG_REFUSED -> "config refused";
            case ERROR -> "error";
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
