package org.phoneemu.cucm.config;

/** One entry of the corporate directory served at {@code /ccmcip/xmldirectory.jsp}. */
public record DirectoryEntry(String name, String telephone) {
}
