package org.phoneemu.cucm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * A snapshot of one node: its current names, addresses, the ports its servers listen on (the bound ones once the
 * cluster is started) and its certificates.
 *
 * @param id the node's host name in the cluster file; stays the same after a rename
 */
public record Node(String id, String hostname, String domain, InetAddress address, boolean publisher, boolean tftp,
                   boolean tvs, int tftpPort, int tvsPort, int httpsPort, Map<CertificateUnit, X509Certificate> certificates) {
    public Node {
        certificates = Map.copyOf(certificates);
    }

    public String fqdn() {
        return hostname + "." + domain;
    }

    public X509Certificate certificate(CertificateUnit unit) {
        return certificates.get(unit);
    }

    public InetSocketAddress tftpAddress() {
        return new InetSocketAddress(address, tftpPort);
    }

    public InetSocketAddress tvsAddress() {
        return new InetSocketAddress(address, tvsPort);
    }

    public InetSocketAddress httpsAddress() {
        return new InetSocketAddress(address, httpsPort);
    }
}
