package org.phoneemu.cucm.config;

import java.util.List;

/** A CallManager group: node host names in priority order (the TVS list of its devices follows it). */
public record GroupSpec(String name, List<String> members) {
    public GroupSpec {
        members = List.copyOf(members);
    }
}
