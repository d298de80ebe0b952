package org.phoneemu.tac.served;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files one TFTP node serves (the ones that were read or listed), by name ignoring case as CUCM's TFTP does.
 *
 * @param node the node's name (a host name, or the address a live cluster was reached at)
 * @param provisioningCertificate the certificate its HTTPS provisioning port (6971) presents; empty when it serves none
 *                                (or, for a live cluster, nothing answered there)
 */
public record NodeFiles(String node, String address, Map<String, byte[]> files, Optional<X509Certificate> provisioningCertificate) {
    public NodeFiles {
        TreeMap<String, byte[]> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        files.forEach((k, v) -> m.put(k, v.clone()));
        files = Collections.unmodifiableMap(m);
        java.util.Objects.requireNonNull(provisioningCertificate, "provisioningCertificate");
    }

    /** A node without HTTPS provisioning. */
    public NodeFiles(String node, String address, Map<String, byte[]> files) {
        this(node, address, files, Optional.empty());
    }

    public Optional<byte[]> get(String name) {
        return Optional.ofNullable(files.get(name)).map(byte[]::clone);
    }

    public boolean has(String name) {
        return files.containsKey(name);
    }
}
