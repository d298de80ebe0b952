package org.phoneemu.tac.internal.model;

/** The served files cannot be modelled as a cluster; the message says why in one line. */
public final class ModelException extends Exception {
    public ModelException(String message) {
        super(message);
    }
}
