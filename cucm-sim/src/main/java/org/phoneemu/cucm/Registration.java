package org.phoneemu.cucm;

/** A listener registration; {@link #close()} removes the listener. */
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
