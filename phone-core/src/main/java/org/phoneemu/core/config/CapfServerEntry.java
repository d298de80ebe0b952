package org.phoneemu.core.config;

/** One {@code <capf>} of the configuration's {@code <capfList>}: where the phone reaches CAPF. */
public record CapfServerEntry(String address, int port) {
    public static final int DEFAULT_PORT = 3804;
}
