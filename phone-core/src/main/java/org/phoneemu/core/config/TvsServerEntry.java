package org.phoneemu.core.config;

/** One TVS server of the config ({@code TVS/members/member}), in priority order (0 first). */
public record TvsServerEntry(int priority, String address, int port) {
    public static final int DEFAULT_PORT = 2445;
}
