package org.phoneemu.tac.predict;

/** The prediction's input is wrong (an unknown node, a missing state, an unreadable flash folder). */
public final class PredictionException extends Exception {
    public PredictionException(String message) {
        super(message);
    }
}
