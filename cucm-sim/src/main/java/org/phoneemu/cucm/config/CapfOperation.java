package org.phoneemu.cucm.config;

import java.util.Locale;
import java.util.Optional;

/** CUCM's "Certificate Operation" of a phone's CAPF settings. */
public enum CapfOperation {
    NO_PENDING_OPERATION("No Pending Operation"),
    INSTALL_UPGRADE("Install/Upgrade"),
    DELETE("Delete"),
    TROUBLESHOOT("Troubleshoot");

    private final String text;

    CapfOperation(String text) {
        this.text = text;
    }

    /** As CCMAdmin's Phone page spells it. */
    public String text() {
        return text;
    }

    /** The cluster file's spelling: {@code install} (or {@code upgrade}), {@code delete}, {@code troubleshoot} (or {@code fetch}), {@code none}. */
    public static Optional<CapfOperation> parse(String s) {
        return switch (s.replaceAll("[\\s_/-]", "").toLowerCase(Locale.ROOT)) {
            case "install", "upgrade", "installupgrade" -> Optional.of(INSTALL_UPGRADE);
            case "delete" -> Optional.of(DELETE);
            case "troubleshoot", "fetch" -> Optional.of(TROUBLESHOOT);
            case "none", "nopendingoperation" -> Optional.of(NO_PENDING_OPERATION);
            default -> Optional.empty();
        };
    }
}
