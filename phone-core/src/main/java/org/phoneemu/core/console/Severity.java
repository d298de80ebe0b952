package org.phoneemu.core.console;

/** The level column of a phone console log line ({@code NOT}, {@code WRN}, {@code ERR}). */
public enum Severity {
    NOT, WRN, ERR
}
