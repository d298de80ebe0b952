package org.phoneemu.tac.served;

/** The cluster could not be read: no TFTP answer, or no state to load. */
public final class UnreachableClusterException extends Exception {
    public UnreachableClusterException(String message) {
        super(message);
    }
}
