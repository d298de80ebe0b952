package org.phoneemu.cucm.capf.internal;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.CapfSettings;

/**
 * What the CAPF server asks of the cluster. {@link #issue} and {@link #completed} sign and write state: the server
 * calls them on its worker, never on an event loop.
 */
public interface CapfAuthority {
    /** The device's CAPF settings by {@code SEP<MAC>}, or empty when the cluster has no such device. */
    Optional<CapfSettings> settings(String deviceName);

    /**
     * The cluster's own spelling of a device it knows ({@code SEP} and the MAC in upper case), or empty. Per-device
     * limits are keyed on it, so that a name sent in another case counts against the same device.
     */
    Optional<String> canonicalName(String deviceName);

    /** Is {@code cert} this device's LSC issued by our CAPF, or its MIC under a root of CAPF-trust? ("By Existing Certificate") */
    boolean isDeviceCertificate(String deviceName, X509Certificate cert);

    /** Signs an LSC for the device with the CAPF key. */
    X509Certificate issue(String deviceName, PublicKey key);

    /** Wrong authentication strings, counted cluster-wide (one budget for every node's CAPF). */
    AuthStringGuard authStringGuard();

    /** The phone confirmed the operation: record it (the new LSC, a deleted one, a fetched certificate). */
    void completed(String deviceName, CapfOperation operation, Optional<X509Certificate> certificate);
}
