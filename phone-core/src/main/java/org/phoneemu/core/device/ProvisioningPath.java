package org.phoneemu.core.device;

/**
 * Where a model asks for its files (docs/PROTOCOLS.md §4), by {@link PhoneModel#provisioning()}: a decision, no I/O.
 */
public enum ProvisioningPath {
    /** Every file over TFTP (the 79xx, 69xx, 89xx, 99xx series). */
    TFTP_ONLY,
    /** Every file over HTTP port 6970 first, TFTP when HTTP fails. */
    HTTP,
    /** As {@link #HTTP}, and the configuration over HTTPS port 6971 first when the installed ITL is version 1.1. */
    HTTPS;

    /** Whether HTTP 6970 is tried before TFTP. */
    public boolean usesHttp() {
        return this != TFTP_ONLY;
    }
}
