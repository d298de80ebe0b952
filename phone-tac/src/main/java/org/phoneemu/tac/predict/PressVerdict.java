package org.phoneemu.tac.predict;

import java.util.Locale;

/** How a press of Directories or Services ends, as the phone's screen shows it. */
public enum PressVerdict {
    /** The page was fetched: the phone trusted the server's certificate. */
    SHOWN,
    /** The certificate was refused: nothing was sent, the phone shows "Host Not Found". */
    REFUSED,
    /** No URL configured, or no server there. */
    FAILED;

    public String label() {
        return switch (this) {
            case SHOWN -> "shown";
            case REFUSED -> "refused, \"Host Not Found\"";
            case FAILED -> "failed";
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
