package org.phoneemu.cucm.sip;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import org.phoneemu.cucm.config.DeviceSpec;

/** What the registrar asks of the cluster; called on event loops, reads only what the cluster published. */
public interface RegistrarDirectory {
    /** The device named {@code SEP<MAC>}, if the cluster has it. */
    Optional<DeviceSpec> device(String deviceName);

    /**
     * Is {@code chain}'s first certificate this device's LSC issued by this cluster's CAPF, or its MIC chaining (through
     * the certificates sent after it) to a certificate of CallManager-trust (the one rule CAPF uses too, with CAPF-trust)?
     */
    boolean isDeviceCertificate(String deviceName, java.util.List<X509Certificate> chain);

    /** The ITLFile.tlv the TFTP server at {@code tftpServer} (host name or address) serves now, if it is a node of this cluster. */
    default Optional<byte[]> servedItl(String tftpServer) {
        return Optional.empty();
    }

    /** What a REGISTER is granted (the SIP profile's "Timer Keep Alive Expires"; CUCM 120 s). */
    default java.time.Duration keepAliveExpires() {
        return org.phoneemu.cucm.config.ClusterSpec.DEFAULT_KEEP_ALIVE_EXPIRES;
    }

    /** The cluster's clock, for the Date header and registration times. */
    Instant now();
}
