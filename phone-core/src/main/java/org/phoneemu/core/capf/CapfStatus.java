package org.phoneemu.core.capf;

/**
 * Status messages (Settings > Status > Status Messages) a CAPF certificate operation leaves. The wording is this
 * emulator's, in the style of the phone's other status messages.
 */
public final class CapfStatus {
    public static final String LSC_INSTALLED = "LSC: Installed";
    public static final String LSC_DELETED = "LSC: Deleted";
    public static final String LSC_FETCHED = "LSC: Sent to CAPF";
    public static final String LSC_FAILED = "LSC: Operation Failed";
    public static final String LSC_CONNECTION_FAILED = "LSC: Connection Failed";

    private CapfStatus() {
    }
}
