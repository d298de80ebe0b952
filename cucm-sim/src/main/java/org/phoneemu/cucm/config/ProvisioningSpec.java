package org.phoneemu.cucm.config;

/**
 * The TFTP service's HTTP side (docs/PROTOCOLS.md §4), from the cluster file's {@code cluster: provisioning:} block:
 * plain HTTP (6970) on every TFTP node, on by default; HTTPS (6971) with each node's {@code tomcat-ECDSA} certificate,
 * listed in the node's ITL with the TFTP function, off by default (**Chosen**: turning it on changes every ITL, to
 * signer version 1.1, so a cluster file asks for it).
 *
 * @param httpPort  TCP port of HTTP; {@link #UNSET}: 6970, or ephemeral when the node's TFTP port is
 * @param httpsPort TCP port of HTTPS; {@link #UNSET}: 6971, or ephemeral when the node's TFTP port is
 */
public record ProvisioningSpec(boolean http, boolean https, int httpPort, int httpsPort) {
    public static final int UNSET = -1;
    public static final int DEFAULT_HTTP_PORT = 6970;
    public static final int DEFAULT_HTTPS_PORT = 6971;
    public static final ProvisioningSpec DEFAULTS = new ProvisioningSpec(true, false, UNSET, UNSET);

    public ProvisioningSpec {
        for (int p : new int[] {httpPort, httpsPort}) {
            if (p != UNSET && (p < 0 || p > 65535)) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
        }
    }

    /** The HTTP port {@code node} binds (0: ephemeral). */
    public int httpPort(NodeSpec node) {
        return httpPort != UNSET ? httpPort : node.tftpPort() == 0 ? 0 : DEFAULT_HTTP_PORT;
    }

    /** The HTTPS port {@code node} binds (0: ephemeral). */
    public int httpsPort(NodeSpec node) {
        return httpsPort != UNSET ? httpsPort : node.tftpPort() == 0 ? 0 : DEFAULT_HTTPS_PORT;
    }
}
