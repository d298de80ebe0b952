package org.phoneemu.core.signedfile;

/** A two-byte major.minor version (header tag 1 and tag 28). */
public record FormatVersion(int major, int minor) {
    public static final FormatVersion TRUST_LIST = new FormatVersion(1, 2);
    public static final FormatVersion SIGNED_CONFIG = new FormatVersion(1, 0);
    public static final FormatVersion ENCRYPTED_CONFIG = new FormatVersion(2, 0);
    public static final FormatVersion SIGNER_1_0 = new FormatVersion(1, 0);
    /** Signer version 1.1 allows EC keys in trust-list records. */
    public static final FormatVersion SIGNER_1_1 = new FormatVersion(1, 1);

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
