package org.phoneemu.cucm.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.SipTransport;

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
 * @param sipTransport the transport type of the device's security profile: TLS (the config's
 *                     {@code transportLayerProtocol} 3) or TCP (2); the registrar expects TLS when it is TLS and the
 *                     security mode is Authenticated or Encrypted
 * @param digest the Digest User and its digest credentials, when the device's security profile has "Enable Digest
 *               Authentication" (docs/SIP.md §12): the registrar challenges its REGISTERs and its configuration carries
 *               them
 */
public record DeviceSpec(String mac, String model, String group, boolean lsc, Optional<Path> lscCertificate,
                         boolean encryption, int securityMode, Map<String, String> vendorConfig, String loadInformation,
                         Optional<CapfSettings> capf, SipTransport sipTransport,
                         Optional<org.phoneemu.core.config.DigestCredentials> digest) {
    public DeviceSpec {
        java.util.Objects.requireNonNull(digest, "digest");
        mac = new Mac(mac).hex(); // 12 upper-case hex digits, else IllegalArgumentException
        java.util.Objects.requireNonNull(sipTransport, "sipTransport");
        vendorConfig = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vendorConfig));
    }

    /** A device without digest authentication. */
    public DeviceSpec(String mac, String model, String group, boolean lsc, Optional<Path> lscCertificate,
                      boolean encryption, int securityMode, Map<String, String> vendorConfig, String loadInformation,
                      Optional<CapfSettings> capf, SipTransport sipTransport) {
        this(mac, model, group, lsc, lscCertificate, encryption, securityMode, vendorConfig, loadInformation, capf, sipTransport,
                Optional.empty());
    }

    /** A device whose profile's transport follows its mode: TLS when Authenticated or Encrypted, else TCP. */
    public DeviceSpec(String mac, String model, String group, boolean lsc, Optional<Path> lscCertificate,
                      boolean encryption, int securityMode, Map<String, String> vendorConfig, String loadInformation,
                      Optional<CapfSettings> capf) {
        this(mac, model, group, lsc, lscCertificate, encryption, securityMode, vendorConfig, loadInformation, capf,
                defaultTransport(securityMode));
    }

    /** TLS for a secure mode (2, 3), TCP for Non Secure (1). */
    public static SipTransport defaultTransport(int securityMode) {
        return securityMode > 1 ? SipTransport.TLS : SipTransport.TCP;
    }

    /** The profile's security mode. */
    public DeviceSecurityMode securityProfile() {
        return DeviceSecurityMode.of(Optional.of(securityMode));
    }

    /** Does the registrar require this device to register over TLS (a secure mode with transport TLS)? */
    public boolean expectsTls() {
        return securityProfile().secure() && sipTransport == SipTransport.TLS;
    }

    /**
     * This device with its security profile's mode changed (an administrator's choice of another profile), the profile's
     * transport following the mode.
     */
    public DeviceSpec withSecurityMode(int mode) {
        return new DeviceSpec(mac, model, group, lsc, lscCertificate, encryption, mode, vendorConfig, loadInformation, capf,
                defaultTransport(mode));
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
