package org.phoneemu.core.config;

/** One member of the device's CallManager group ({@code devicePool/callManagerGroup/members/member}). */
public record CallManagerEntry(int priority, String processNodeName, int sipPort, int securedSipPort) {
}
