package org.phoneemu.cucm;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.cucm.capf.internal.CapfAuthority;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.CapfSettings;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.cucm.config.MicTrustStore;
import org.phoneemu.cucm.pki.CertificateIssuer;
import org.phoneemu.cucm.pki.internal.TrustChain;

/**
 * The cluster as its CAPF servers see it: devices' CAPF settings, the CAPF key that signs LSCs, the record of what
 * was done. {@link #settings} and {@link #isDeviceCertificate} run on event loops and read only what the cluster
 * published; {@link #issue} and {@link #completed} run on the cluster's worker and may take its lock.
 */
final class ClusterCapf implements CapfAuthority {
    /** A device whose page has no CAPF section. */
    static final CapfSettings NONE = new CapfSettings(CapfOperation.NO_PENDING_OPERATION, CapfAuthMode.NULL_STRING,
            Optional.empty(), LscKeySpec.rsa(2048));

    private final Cluster cluster;
    private final org.phoneemu.cucm.capf.internal.AuthStringGuard guard;

    ClusterCapf(Cluster cluster) {
        this.cluster = cluster;
        this.guard = new org.phoneemu.cucm.capf.internal.AuthStringGuard(cluster::clock);
    }

    @Override
    public org.phoneemu.cucm.capf.internal.AuthStringGuard authStringGuard() {
        return guard;
    }

    private Optional<DeviceSpec> device(String deviceName) {
        String n = deviceName.toUpperCase(Locale.ROOT);
        if (!n.matches("SEP[0-9A-F]{12}")) {
            return Optional.empty();
        }
        return cluster.spec().device(n.substring(3));
    }

    @Override
    public Optional<CapfSettings> settings(String deviceName) {
        return device(deviceName).map(d -> cluster.publishedCapfSettings().getOrDefault(d.mac(), NONE));
    }

    @Override
    public Optional<String> canonicalName(String deviceName) {
        return device(deviceName).map(DeviceSpec::deviceName);
    }

    /** CAPF's "by existing certificate": the LSC rule, or a MIC under a root of CAPF-trust. */
    @Override
    public boolean isDeviceCertificate(String deviceName, X509Certificate cert) {
        return isDeviceCertificate(deviceName, java.util.List.of(cert), MicTrustStore.CAPF_TRUST);
    }

    /**
     * The one rule for a certificate a device presents (CAPF with CAPF-trust, the SIP registrar with CallManager-trust):
     * valid now, and either this device's LSC (CN {@code SEP<MAC>}, signed by this cluster's CAPF key) or its MIC
     * (CN {@code CP-<model>-SEP<MAC>}, chaining through the certificates {@code chain} holds after it to a certificate
     * that {@code micRoots} holds now, {@link TrustChain}).
     */
    boolean isDeviceCertificate(String deviceName, java.util.List<X509Certificate> chain, MicTrustStore micRoots) {
        Optional<DeviceSpec> d = device(deviceName);
        if (d.isEmpty() || chain.isEmpty()) {
            return false;
        }
        X509Certificate cert = chain.get(0);
        java.time.Instant now = cluster.clock().instant();
        try {
            cert.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            return false;
        }
        String cn = CertificateIssuer.commonName(cert);
        X509Certificate capf = cluster.capfCertificate();
        if (cn.equalsIgnoreCase(d.get().deviceName()) && verifies(cert, capf.getPublicKey())) {
            return true;
        }
        return isMicName(cn, d.get().deviceName()) && TrustChain.chains(chain, cluster.publishedMicTrust(micRoots), now);
    }

    private static final java.util.regex.Pattern MIC_NAME = java.util.regex.Pattern.compile("CP-[0-9A-Za-z]+-SEP([0-9A-Fa-f]{12})");

    /** A MIC's CN: exactly {@code CP-<model>-SEP<MAC>}, the MAC in either case, naming {@code deviceName}. */
    static boolean isMicName(String cn, String deviceName) {
        java.util.regex.Matcher m = MIC_NAME.matcher(cn);
        return m.matches() && ("SEP" + m.group(1)).equalsIgnoreCase(deviceName);
    }

    private static boolean verifies(X509Certificate cert, PublicKey key) {
        try {
            cert.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public X509Certificate issue(String deviceName, PublicKey key) {
        String name = device(deviceName).map(DeviceSpec::deviceName).orElseThrow();
        return cluster.issuer().certify(cluster.read(s -> s.capf), name, key, CertificateIssuer.Profile.PHONE);
    }

    @Override
    public void completed(String deviceName, CapfOperation operation, Optional<X509Certificate> certificate) {
        String mac = device(deviceName).map(DeviceSpec::mac).orElseThrow();
        try {
            cluster.change((s, resets) -> {
                switch (operation) {
                    case INSTALL_UPGRADE -> s.capfIssued.put(mac, certificate.orElseThrow());
                    case DELETE -> {
                        s.capfIssued.remove(mac);
                        s.lscs.remove(mac);
                    }
                    default -> {
                        // Troubleshoot changes nothing on the phone; CUCM only keeps the fetched certificate for the admin.
                    }
                }
                s.capfSettings.put(mac, s.capfSettings.getOrDefault(mac, NONE).withOperation(CapfOperation.NO_PENDING_OPERATION));
                return null;
            });
        } catch (AdminException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
