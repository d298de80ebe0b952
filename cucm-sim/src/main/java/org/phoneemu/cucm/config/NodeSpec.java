package org.phoneemu.cucm.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * One CUCM node as the cluster file declares it.
 *
 * @param hostname short host name (the node's identity in the state directory, even after a rename)
 * @param domain DNS domain; empty means the cluster's
 * @param address loopback address the node's servers bind to (127.0.0.x)
 * @param tftp whether the node runs the Cisco Tftp service (serves files and has an ITL)
 * @param tftpPort UDP port of TFTP, 0 = ephemeral
 * @param tvsPort TCP port of TVS, 0 = ephemeral
 * @param httpsPort TCP port of the HTTPS directory service, 0 = ephemeral
 * @param keySizes RSA key sizes of this node's certificates that differ from the cluster's
 * @param itlRecoveryCommonName the ITLRecovery certificate's CN when it must differ from {@code ITLRECOVERY_<fqdn>}
 * @param capfPort TCP port of CAPF, 0 = ephemeral
 * @param sipPort TCP port of the SIP registrar (a CallManager node's), 0 = ephemeral
 * @param sipsPort TLS port of the SIP registrar, 0 = ephemeral
 * @param validity how long the first certificate of a unit is valid when the cluster file says (its {@code certificates});
 *                 the others, and every regenerated one, get CUCM's five years
 */
public record NodeSpec(String hostname, Optional<String> domain, InetAddress address, boolean tftp, int tftpPort,
                       int tvsPort, int httpsPort, Map<CertificateUnit, Integer> keySizes,
                       Optional<String> itlRecoveryCommonName, int capfPort, int sipPort, int sipsPort,
                       Map<CertificateUnit, Duration> validity) {
    public static final int DEFAULT_TFTP_PORT = 6969;
    public static final int DEFAULT_TVS_PORT = 2445;
    public static final int DEFAULT_HTTPS_PORT = 8443;
    /** CUCM's CAPF listens on 3804; unprivileged like the other defaults here. */
    public static final int DEFAULT_CAPF_PORT = 3804;
    /** CUCM's SIP ports: TCP and TLS. */
    public static final int DEFAULT_SIP_PORT = 5060;
    public static final int DEFAULT_SIPS_PORT = 5061;

    /** A node whose certificates all get the full validity. */
    public NodeSpec(String hostname, Optional<String> domain, InetAddress address, boolean tftp, int tftpPort,
                    int tvsPort, int httpsPort, Map<CertificateUnit, Integer> keySizes, Optional<String> itlRecoveryCommonName,
                    int capfPort, int sipPort, int sipsPort) {
        this(hostname, domain, address, tftp, tftpPort, tvsPort, httpsPort, keySizes, itlRecoveryCommonName, capfPort, sipPort,
                sipsPort, Map.of());
    }

    /** A node on the default SIP ports. */
    public NodeSpec(String hostname, Optional<String> domain, InetAddress address, boolean tftp, int tftpPort,
                    int tvsPort, int httpsPort, Map<CertificateUnit, Integer> keySizes, Optional<String> itlRecoveryCommonName,
                    int capfPort) {
        this(hostname, domain, address, tftp, tftpPort, tvsPort, httpsPort, keySizes, itlRecoveryCommonName, capfPort,
                DEFAULT_SIP_PORT, DEFAULT_SIPS_PORT);
    }

    /** A node on the default CAPF port. */
    public NodeSpec(String hostname, Optional<String> domain, InetAddress address, boolean tftp, int tftpPort,
                    int tvsPort, int httpsPort, Map<CertificateUnit, Integer> keySizes, Optional<String> itlRecoveryCommonName) {
        this(hostname, domain, address, tftp, tftpPort, tvsPort, httpsPort, keySizes, itlRecoveryCommonName, DEFAULT_CAPF_PORT);
    }

    /** The same node on other ports. */
    public NodeSpec withPorts(int tftp, int tvs, int https, int capf) {
        return new NodeSpec(hostname, domain, address, this.tftp, tftp, tvs, https, keySizes, itlRecoveryCommonName, capf,
                sipPort, sipsPort, validity);
    }

    /** The same node with other SIP ports. */
    public NodeSpec withSipPorts(int sip, int sips) {
        return new NodeSpec(hostname, domain, address, tftp, tftpPort, tvsPort, httpsPort, keySizes, itlRecoveryCommonName, capfPort,
                sip, sips, validity);
    }

    public NodeSpec {
        Objects.requireNonNull(hostname);
        Objects.requireNonNull(address);
        keySizes = Map.copyOf(keySizes);
        validity = Map.copyOf(validity);
    }
}
