package org.phoneemu.tac.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How bad a finding is; ordered from least to most severe. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity must be info, low, medium or high, not '" + s + "'");
        }
    }
}
