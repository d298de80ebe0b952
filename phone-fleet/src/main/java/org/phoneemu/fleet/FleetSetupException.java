package org.phoneemu.fleet;

/** A fleet that cannot start for a reason its user can fix (no server answers, an unreadable LSC); the message says it. */
public final class FleetSetupException extends Exception {
    public FleetSetupException(String message) {
        super(message);
    }
}
