package org.phoneemu.cucm;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.cucm.config.NodeSpec;
import org.phoneemu.cucm.pki.CertificateUnit;

/** One node's mutable state: names, certificates, timers. Guarded by the cluster's lock. */
final class NodeState {
    final NodeSpec spec;
    String hostname;
    String domain;
    /** The node's own keys and certificates, as its OS Certificate Management page lists them. */
    final Map<CertificateUnit, KeyMaterial> own = new EnumMap<>(CertificateUnit.class);
    /**
     * The CallManager certificate the ITL lists when it is not the one whose key signs (after a restore from a
     * backup that lacked the CallManager key, CSCtn50405); {@code null} when they are the same.
     */
    X509Certificate listedCallManager;
    /** The publisher's ITLRecovery certificate as this node's TFTP service loaded it at its last start. */
    X509Certificate tftpItlRecovery;
    /** After {@code utils itl reset}: the ITL is the publisher's, signed by ITLRecovery, until the TFTP service restarts. */
    boolean itlSignedByRecovery;
    Instant lastRegeneration;
    CertificateUnit lastRegenerated;

    NodeState(NodeSpec spec, String domain) {
        this.spec = spec;
        this.hostname = spec.hostname();
        this.domain = domain;
    }

    /** The stable identity (the host name in the cluster file), also the node's folder in the state directory. */
    String id() {
        return spec.hostname();
    }

    String fqdn() {
        return hostname + "." + domain;
    }

    KeyMaterial key(CertificateUnit unit) {
        return own.get(unit);
    }

    X509Certificate certificate(CertificateUnit unit) {
        return own.get(unit).certificate();
    }

    /** The CallManager certificate the node's ITL lists (SAST and CCM+TFTP records). */
    X509Certificate listedCallManager() {
        return listedCallManager != null ? listedCallManager : certificate(CertificateUnit.CALLMANAGER);
    }

    /** CN of the node's ITLRecovery certificate when it is (re)generated under the current names. */
    String itlRecoveryCommonName() {
        if (spec.itlRecoveryCommonName().isPresent() && hostname.equals(spec.hostname())) {
            return spec.itlRecoveryCommonName().get();
        }
        return "ITLRECOVERY_" + fqdn();
    }

    /** CN of the node's other certificates: its FQDN, as CUCM names callmanager.pem, TVS.pem and tomcat.pem. */
    String commonName(CertificateUnit unit) {
        return unit == CertificateUnit.ITLRECOVERY ? itlRecoveryCommonName() : fqdn();
    }
}
