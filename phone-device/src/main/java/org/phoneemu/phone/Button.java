package org.phoneemu.phone;

/** The phone buttons that open an HTTPS service URL. */
public enum Button {
    DIRECTORIES, SERVICES
}
