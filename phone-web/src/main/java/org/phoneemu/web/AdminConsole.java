package org.phoneemu.web;

import java.util.List;

/**
 * The CUCM command line behind the dashboard's admin panel (shown only with {@code --web-admin}). The web module
 * does not know the simulated cluster; whoever runs one implements this.
 */
public interface AdminConsole {
    /** Runs one CUCM CLI command line and returns what CUCM prints. May take seconds (key generation). */
    String run(String command);

    /** Commands offered as one-click buttons, e.g. {@code set cert regen CallManager}. */
    default List<String> suggestedCommands() {
        return List.of();
    }

    /** Controls of the simulation itself (not CUCM commands), e.g. moving a virtual clock; may be empty. */
    default List<Control> controls() {
        return List.of();
    }

    /** Runs the control with this id and returns a line saying what happened. */
    default String control(String id) {
        throw new IllegalArgumentException("no such control: " + id);
    }

    /** A button of the simulation: an id for the request, a label for the button, a line saying what it does. */
    record Control(String id, String label, String description) {
    }
}
