package org.phoneemu.cucm.sip;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The devices registered to one node, by device name; written on event loops, read from anywhere. */
public final class Registrations {
    private final Map<String, SipRegistration> byDevice = new ConcurrentHashMap<>();
    private final Map<String, TrustListReport> trustLists = new ConcurrentHashMap<>();

    void put(SipRegistration r) {
        byDevice.put(r.deviceName(), r);
    }

    public Optional<SipRegistration> of(String deviceName) {
        return Optional.ofNullable(byDevice.get(deviceName));
    }

    void put(TrustListReport r) {
        trustLists.put(r.alarm().deviceName(), r);
    }

    /** The last DeviceTLInfo alarm each device sent this node. */
    public List<TrustListReport> trustListReports() {
        return List.copyOf(trustLists.values());
    }

    public List<SipRegistration> all() {
        return List.copyOf(byDevice.values());
    }
}
