package org.phoneemu.cucm;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.cucm.config.NodeSpec;
import org.phoneemu.cucm.pki.CertificateIssuer;
import org.phoneemu.cucm.pki.CertificateUnit;

/** Everything about a cluster that changes at run time and survives a restart. Guarded by the cluster's lock. */
final class ClusterState {
    final Map<String, NodeState> nodes = new LinkedHashMap<>();
    KeyMaterial capf;
    KeyMaterial etoken;
    /** The authority that signs the CallManager certificates ({@code callManagerCa} of the cluster file), or null. */
    KeyMaterial callManagerCa;
    boolean rollback;
    boolean mixedMode;
    /** The published CTL (mixed mode): a snapshot taken when mixed mode was set or the CTL last updated. */
    byte[] ctl;
    /** LSCs the CAPF issued, by MAC (devices with {@code lscCertificate} are read from their file instead). */
    final Map<String, KeyMaterial> lscs = new LinkedHashMap<>();
    /** LSCs the CAPF service issued over the CAPF protocol, by MAC (the phone keeps the key); they win over {@link #lscs}. */
    final Map<String, X509Certificate> capfIssued = new LinkedHashMap<>();
    /** Each device's CAPF settings now: from the cluster file at start, "No Pending Operation" once done. Not saved. */
    final Map<String, org.phoneemu.cucm.config.CapfSettings> capfSettings = new LinkedHashMap<>();
    /** Device security modes an administrator set (by MAC), over the cluster file's; saved with the state (a restart keeps them). */
    final Map<String, Integer> securityModes = new LinkedHashMap<>();
    /** Certificates imported into the TVS store ({@code set cert import trust}). */
    final List<X509Certificate> imported = new ArrayList<>();
    /**
     * The trust stores each imported certificate was imported into ({@code CallManager-trust}, {@code tomcat-trust}, ...;
     * {@link #NO_STORE} when none was named). A certificate absent here comes from a state saved before stores were
     * recorded and counts as in CallManager-trust, as it did then.
     */
    final Map<X509Certificate, java.util.Set<String>> importedIn = new java.util.HashMap<>();
    static final String NO_STORE = "none";

    /** Whether an imported certificate is in that trust store (legacy entries: CallManager-trust only). */
    boolean importedInto(X509Certificate c, String store) {
        java.util.Set<String> in = importedIn.get(c);
        return in == null ? store.equalsIgnoreCase("CallManager-trust") : in.stream().anyMatch(store::equalsIgnoreCase);
    }
    /**
     * The MIC trust stores that still hold the simulated manufacturing root: the cluster file's {@code manufacturingRoots}
     * at creation, less those it was deleted from ({@code set cert delete}). The root itself is not saved: it is the
     * key pool's (a new one after the pool folder was removed), so only where it is kept is state.
     */
    final java.util.Set<org.phoneemu.cucm.config.MicTrustStore> manufacturingRootIn =
            java.util.EnumSet.noneOf(org.phoneemu.cucm.config.MicTrustStore.class);
    /** The same for the manufacturing CA's intermediate (the MICs' issuer), deleted apart from the root. */
    final java.util.Set<org.phoneemu.cucm.config.MicTrustStore> manufacturingIntermediateIn =
            java.util.EnumSet.noneOf(org.phoneemu.cucm.config.MicTrustStore.class);

    NodeState publisher() {
        return nodes.values().iterator().next();
    }

    NodeState node(String id) {
        return nodes.get(id);
    }

    /** Generates whatever the cluster file asks for that the state does not have yet. */
    void fillMissing(ClusterSpec spec, CertificateIssuer issuer) {
        if (spec.callManagerCa().isPresent() && callManagerCa == null) {
            callManagerCa = issuer.authority(spec.callManagerCa().get().commonName(), spec.keySize("CAPF"));
        }
        for (NodeSpec n : spec.nodes()) {
            NodeState node = nodes.computeIfAbsent(n.hostname(), h -> new NodeState(n, n.domain().orElse(spec.domain())));
            for (CertificateUnit unit : CertificateUnit.values()) {
                if (!node.own.containsKey(unit)) {
                    node.own.put(unit, issue(spec, issuer, node, unit,
                            n.validity().getOrDefault(unit, CertificateIssuer.FULL_VALIDITY)));
                }
            }
        }
        nodes.keySet().retainAll(spec.nodes().stream().map(NodeSpec::hostname).toList());
        NodeState pub = publisher();
        for (NodeState node : nodes.values()) {
            if (node.tftpItlRecovery == null) {
                node.tftpItlRecovery = pub.certificate(CertificateUnit.ITLRECOVERY);
            }
        }
        if (capf == null) {
            capf = issuer.selfSigned(spec.capfName().orElseGet(issuer::randomCapfName), spec.keySize("CAPF"),
                    CertificateIssuer.Profile.AUTHORITY);
        }
        if (etoken == null) {
            etoken = issuer.selfSigned(spec.etokenName().orElseGet(issuer::randomEtokenName), spec.keySize("eToken"), CertificateIssuer.Profile.AUTHORITY);
        }
        for (DeviceSpec d : spec.devices()) {
            d.capf().ifPresent(c -> capfSettings.putIfAbsent(d.mac(), c));
            if (d.lsc() && d.lscCertificate().isEmpty() && !lscs.containsKey(d.mac())) {
                lscs.put(d.mac(), issuer.issuedBy(capf, d.deviceName(), spec.keySize("LSC"), CertificateIssuer.Profile.PHONE));
            }
        }
    }

    /** A new certificate of {@code unit} for {@code node}: self-signed, or the CallManager one by the cluster's CA. */
    KeyMaterial issue(ClusterSpec spec, CertificateIssuer issuer, NodeState node, CertificateUnit unit) {
        // A regenerated (renewed) certificate gets the full validity, whatever the cluster file gave the first one.
        return issue(spec, issuer, node, unit, CertificateIssuer.FULL_VALIDITY);
    }

    private KeyMaterial issue(ClusterSpec spec, CertificateIssuer issuer, NodeState node, CertificateUnit unit,
            java.time.Duration validity) {
        if (unit == CertificateUnit.CALLMANAGER && callManagerCa != null && spec.callManagerCa().isPresent()) {
            return issuer.issuedBy(callManagerCa, node.commonName(unit), spec.keySize(node.spec, unit), CertificateIssuer.Profile.NODE,
                    spec.callManagerCa().get().serialBytes(), validity);
        }
        if (unit == CertificateUnit.TOMCAT_ECDSA) {
            return issuer.selfSignedEc(node.commonName(unit), validity);
        }
        return issuer.selfSigned(node.commonName(unit), spec.keySize(node.spec, unit),
                unit == CertificateUnit.ITLRECOVERY ? CertificateIssuer.Profile.RECOVERY : CertificateIssuer.Profile.NODE, validity);
    }
}
