package org.phoneemu.cucm.config;

/** A cluster file that cannot be used; the message names the file, the key and what is wrong with it. */
public final class ClusterSpecException extends Exception {
    public ClusterSpecException(String message) {
        super(message);
    }
}
