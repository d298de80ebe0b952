package org.phoneemu.core.config;

/** A configuration file that cannot be used: not XML, hostile XML, too large, or not a {@code <device>}. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
