package org.phoneemu.cucm.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.device.Mac;

/**
 * A phone the cluster knows (a row of CCMAdmin's Phone page).
 *
 * @param mac 12 upper-case hex digits
 * @param model the model number, as in the TVS device name {@code CP-<model>-SEP<MAC>}
 * @param group the CallManager group, which gives the TVS list and the directory server
 * @param lsc whether the phone has a Locally Significant Certificate issued by the cluster's CAPF
 * @param lscCertificate a PEM file holding the phone's own LSC (public part) instead of one the CAPF makes
 * @param encryption whether its configuration is published encrypted ({@code .enc.sgn} and a stub); needs an LSC
 * @param securityMode {@code deviceSecurityMode}: 1 non-secure, 2 authenticated, 3 encrypted
 * @param vendorConfig {@code vendorConfig} elements (settingsAccess, webAccess, sshAccess, spanToPCPort, …) in order
 * @param loadInformation the firmware load name
 * @param capf the CAPF section of the phone's page (certificate operation, authentication mode, string, key)
 */
public record DeviceSpec(String mac, String model, String group, boolean lsc, Optional<Path> lscCertificate,
                         boolean encryption, int securityMode, Map<String, String> vendorConfig, String loadInformation,
                         Optional<CapfSettings> capf) {
    public DeviceSpec {
        mac = new Mac(mac).hex(); // 12 upper-case hex digits, else IllegalArgumentException
        vendorConfig = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vendorConfig));
    }

    /** A device without CAPF settings. */
    public DeviceSpec(String mac, String model, String group, boolean lsc, Optional<Path> lscCertificate,
                      boolean encryption, int securityMode, Map<String, String> vendorConfig, String loadInformation) {
        this(mac, model, group, lsc, lscCertificate, encryption, securityMode, vendorConfig, loadInformation, Optional.empty());
    }

    /** {@code SEP<MAC>}: the base of the device's file names. */
    public String deviceName() {
        return new Mac(mac).deviceName();
    }

    /** The device name a phone sends in a TVS request, e.g. {@code CP-7970-SEP001122334455}. */
    public String tvsDeviceName() {
        return new Mac(mac).tvsDeviceName(model);
    }
}
