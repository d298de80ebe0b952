package org.phoneemu.core.trust;

/** The result of a Trust List menu operation. */
public sealed interface MenuResult {
    record Done(String message) implements MenuResult {
    }

    record Refused(String reason) implements MenuResult {
    }
}
