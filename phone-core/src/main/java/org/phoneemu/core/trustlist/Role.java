package org.phoneemu.core.trustlist;

/** The FUNCTION of a trust-list record (docs/FORMATS.md §2), with the name CUCM's {@code show itl} prints. */
public enum Role {
    SAST(0, "System Administrator Security Token"),
    CCM(1, "CCM"),
    CCM_TFTP(2, "CCM+TFTP"),
    TFTP(3, "TFTP"),
    CAPF(4, "CAPF"),
    APP_SERVER(7, "APP-SERVER"),
    TVS(21, "TVS");

    private final int code;
    private final String displayName;

    Role(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    public int code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    /** The role with this code, or {@code null} for a code this emulator does not know (kept, shown by number). */
    public static Role of(int code) {
        for (Role r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }

    /** CUCM's name for a code, or the number itself when unknown. */
    public static String displayName(int code) {
        Role r = of(code);
        return r == null ? Integer.toString(code) : r.displayName;
    }
}
