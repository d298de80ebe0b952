package org.phoneemu.core.trustlist;

/** Which trust list a file is: the Identity Trust List or the Certificate Trust List. */
public enum TrustListKind {
    ITL, CTL;

    /** From the file's own name (header tag 14 or the path): {@code CTL…} is a CTL, anything else an ITL. */
    public static TrustListKind fromName(String name) {
        if (name == null) {
            return ITL;
        }
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        return base.regionMatches(true, 0, "CTL", 0, 3) ? CTL : ITL;
    }
}
