package org.phoneemu.cucm.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * A cluster file (config/clusters/*.yaml, documented in config/clusters/README.md): the nodes, publisher first,
 * their certificates' shapes, the CallManager groups and the devices.
 *
 * @param name a label for logs and reports
 * @param domain DNS domain of the nodes (a node may override it)
 * @param securityPassword the cluster security password; protects {@code ITLRecovery.p12}
 * @param nameStyle how names are written into files: {@code ;} like CUCM, or {@code ,}
 * @param digest digest of every signed file (ITL, CTL, {@code .sgn}, {@code .enc.sgn})
 * @param serialBytes size of certificate serial numbers (CUCM: 16)
 * @param subject the attributes after the CN of every certificate, in CUCM's order (OU, O, L, ST, C)
 * @param keySizes RSA key sizes by certificate: units, plus "CAPF", "eToken" and "LSC"; "default" for the rest
 * @param itlTftpRole role of the CallManager certificate's second ITL record: CCM+TFTP, or TFTP as CUCM 10 writes
 * @param mixedMode whether the cluster publishes a CTL
 * @param ctlSigner who signs the CTL in mixed mode
 * @param rollback the enterprise parameter "Prepare Cluster for Rollback to pre 8.0"
 * @param tvsTtl the time-to-live TVS gives phones for a valid certificate
 * @param timeZone the zone {@code show itl} prints times in
 * @param capfName CN of the cluster CAPF certificate; empty = {@code CAPF-<8 hex digits>}
 * @param holdTimer how long after a certificate regeneration a node refuses another (CUCM: 5 minutes)
 * @param callManagerCa the authority that signs the CallManager certificates; empty = self-signed, as CUCM's default
 * @param etokenName CN of the cluster eToken's SAST certificate (mixed mode with an eToken); empty = {@code SAST-ADN<8 hex digits>}
 * @param manufacturingRoots the trust stores that hold the simulated manufacturing CA's root when the cluster is first
 *                           created (default: CallManager-trust and CAPF-trust, as CUCM ships the MIC roots)
 * @param keepAliveExpires what the registrar grants a REGISTER (the SIP profile's "Timer Keep Alive Expires", CUCM 120 s);
 *                         shorter makes phones kept registered renew within seconds (a soak test, a lab)
 */
public record ClusterSpec(String name, String domain, String securityPassword, NameStyle nameStyle, DigestAlgorithm digest,
                          int serialBytes, Map<String, String> subject, Map<String, Integer> keySizes, Role itlTftpRole,
                          boolean mixedMode, CtlSigner ctlSigner, boolean rollback, Duration tvsTtl, ZoneId timeZone,
                          Optional<String> capfName, Duration holdTimer, List<NodeSpec> nodes, List<GroupSpec> groups,
                          List<DeviceSpec> devices, List<DirectoryEntry> directory, Optional<CallManagerCa> callManagerCa,
                          Optional<String> etokenName, ProvisioningSpec provisioning,
                          java.util.Set<MicTrustStore> manufacturingRoots, Duration keepAliveExpires) {

    /** CUCM's keep-alive interval: what it grants a phone's REGISTER unless the cluster file says otherwise. */
    public static final Duration DEFAULT_KEEP_ALIVE_EXPIRES = Duration.ofSeconds(120);

    /** A cluster whose registrar grants CUCM's 120 s. */
    public ClusterSpec(String name, String domain, String securityPassword, NameStyle nameStyle, DigestAlgorithm digest,
                       int serialBytes, Map<String, String> subject, Map<String, Integer> keySizes, Role itlTftpRole,
                       boolean mixedMode, CtlSigner ctlSigner, boolean rollback, Duration tvsTtl, ZoneId timeZone,
                       Optional<String> capfName, Duration holdTimer, List<NodeSpec> nodes, List<GroupSpec> groups,
                       List<DeviceSpec> devices, List<DirectoryEntry> directory, Optional<CallManagerCa> callManagerCa,
                       Optional<String> etokenName, ProvisioningSpec provisioning, java.util.Set<MicTrustStore> manufacturingRoots) {
        this(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole, mixedMode, ctlSigner,
                rollback, tvsTtl, timeZone, capfName, holdTimer, nodes, groups, devices, directory, callManagerCa, etokenName,
                provisioning, manufacturingRoots, DEFAULT_KEEP_ALIVE_EXPIRES);
    }

    /** Every MIC trust store: where CUCM has the manufacturing roots out of the box. */
    public static final java.util.Set<MicTrustStore> ALL_MIC_STORES = java.util.Collections.unmodifiableSet(java.util.EnumSet.allOf(MicTrustStore.class));

    /** A cluster with the manufacturing root in every MIC trust store. */
    public ClusterSpec(String name, String domain, String securityPassword, NameStyle nameStyle, DigestAlgorithm digest,
                       int serialBytes, Map<String, String> subject, Map<String, Integer> keySizes, Role itlTftpRole,
                       boolean mixedMode, CtlSigner ctlSigner, boolean rollback, Duration tvsTtl, ZoneId timeZone,
                       Optional<String> capfName, Duration holdTimer, List<NodeSpec> nodes, List<GroupSpec> groups,
                       List<DeviceSpec> devices, List<DirectoryEntry> directory, Optional<CallManagerCa> callManagerCa,
                       Optional<String> etokenName, ProvisioningSpec provisioning) {
        this(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole, mixedMode, ctlSigner,
                rollback, tvsTtl, timeZone, capfName, holdTimer, nodes, groups, devices, directory, callManagerCa, etokenName,
                provisioning, ALL_MIC_STORES);
    }

    /** A cluster with the default HTTP provisioning ({@link ProvisioningSpec#DEFAULTS}). */
    public ClusterSpec(String name, String domain, String securityPassword, NameStyle nameStyle, DigestAlgorithm digest,
                       int serialBytes, Map<String, String> subject, Map<String, Integer> keySizes, Role itlTftpRole,
                       boolean mixedMode, CtlSigner ctlSigner, boolean rollback, Duration tvsTtl, ZoneId timeZone,
                       Optional<String> capfName, Duration holdTimer, List<NodeSpec> nodes, List<GroupSpec> groups,
                       List<DeviceSpec> devices, List<DirectoryEntry> directory, Optional<CallManagerCa> callManagerCa,
                       Optional<String> etokenName) {
        this(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole, mixedMode, ctlSigner,
                rollback, tvsTtl, timeZone, capfName, holdTimer, nodes, groups, devices, directory, callManagerCa, etokenName,
                ProvisioningSpec.DEFAULTS);
    }

    /** A cluster whose CallManager certificates are self-signed (CUCM's default). */
    public ClusterSpec(String name, String domain, String securityPassword, NameStyle nameStyle, DigestAlgorithm digest,
                       int serialBytes, Map<String, String> subject, Map<String, Integer> keySizes, Role itlTftpRole,
                       boolean mixedMode, CtlSigner ctlSigner, boolean rollback, Duration tvsTtl, ZoneId timeZone,
                       Optional<String> capfName, Duration holdTimer, List<NodeSpec> nodes, List<GroupSpec> groups,
                       List<DeviceSpec> devices, List<DirectoryEntry> directory) {
        this(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole, mixedMode, ctlSigner,
                rollback, tvsTtl, timeZone, capfName, holdTimer, nodes, groups, devices, directory, Optional.empty(), Optional.empty());
    }

    /** The same cluster on other nodes (e.g. the same nodes with their ports chosen). */
    public ClusterSpec withNodes(List<NodeSpec> otherNodes) {
        return new ClusterSpec(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole,
                mixedMode, ctlSigner, rollback, tvsTtl, timeZone, capfName, holdTimer, otherNodes, groups, devices, directory,
                callManagerCa, etokenName, provisioning, manufacturingRoots, keepAliveExpires);
    }

    /** The same cluster with other devices. */
    public ClusterSpec withDevices(List<DeviceSpec> otherDevices) {
        return new ClusterSpec(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole,
                mixedMode, ctlSigner, rollback, tvsTtl, timeZone, capfName, holdTimer, nodes, groups, otherDevices, directory,
                callManagerCa, etokenName, provisioning, manufacturingRoots, keepAliveExpires);
    }

    /** The same cluster with other HTTP provisioning settings. */
    public ClusterSpec withProvisioning(ProvisioningSpec other) {
        return new ClusterSpec(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole,
                mixedMode, ctlSigner, rollback, tvsTtl, timeZone, capfName, holdTimer, nodes, groups, devices, directory,
                callManagerCa, etokenName, other, manufacturingRoots, keepAliveExpires);
    }

    /** The same cluster with the manufacturing root first in these trust stores only. */
    public ClusterSpec withManufacturingRoots(java.util.Set<MicTrustStore> stores) {
        return new ClusterSpec(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole,
                mixedMode, ctlSigner, rollback, tvsTtl, timeZone, capfName, holdTimer, nodes, groups, devices, directory,
                callManagerCa, etokenName, provisioning, stores, keepAliveExpires);
    }

    /** The same cluster with its registrar granting {@code expires}. */
    public ClusterSpec withKeepAliveExpires(Duration expires) {
        return new ClusterSpec(name, domain, securityPassword, nameStyle, digest, serialBytes, subject, keySizes, itlTftpRole,
                mixedMode, ctlSigner, rollback, tvsTtl, timeZone, capfName, holdTimer, nodes, groups, devices, directory,
                callManagerCa, etokenName, provisioning, manufacturingRoots, expires);
    }

    /** Who signs the CTL in mixed mode. */
    public enum CtlSigner {
        /** Tokenless CTL (CUCM 10+): signed by the publisher's CallManager key. */
        TOKENLESS,
        /** A cluster eToken (USB token) SAST key, which survives hostname changes. */
        ETOKEN
    }

    public static final int DEFAULT_KEY_SIZE = 2048;

    public ClusterSpec {
        subject = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(subject));
        keySizes = Map.copyOf(keySizes);
        nodes = List.copyOf(nodes);
        groups = List.copyOf(groups);
        devices = List.copyOf(devices);
        directory = List.copyOf(directory);
        java.util.Objects.requireNonNull(provisioning, "provisioning");
        if (keepAliveExpires.isNegative() || keepAliveExpires.isZero()) {
            throw new IllegalArgumentException("keepAliveExpires must be positive: " + keepAliveExpires);
        }
        manufacturingRoots = manufacturingRoots.isEmpty() ? java.util.Set.of()
                : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(manufacturingRoots));
    }

    /** Reads a cluster file. */
    public static ClusterSpec load(Path file) throws ClusterSpecException {
        String text;
        try {
            text = org.phoneemu.core.io.InputFiles.text(file, org.phoneemu.core.io.InputFiles.YAML_LIMIT);
        } catch (IOException e) {
            throw new ClusterSpecException("cluster file " + org.phoneemu.core.io.FileProblem.reading(file, e));
        }
        return ClusterSpecReader.read(text, "cluster file " + file, file.toAbsolutePath().getParent());
    }

    /** Reads a cluster file's text; relative paths in it are resolved against {@code baseDir}. */
    public static ClusterSpec parse(String yaml, Path baseDir) throws ClusterSpecException {
        return ClusterSpecReader.read(yaml, "cluster file", baseDir);
    }

    public NodeSpec publisher() {
        return nodes.get(0);
    }

    public Optional<NodeSpec> node(String hostname) {
        return nodes.stream().filter(n -> n.hostname().equalsIgnoreCase(hostname)).findFirst();
    }

    public Optional<GroupSpec> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public Optional<DeviceSpec> device(String mac) {
        String m = mac.toUpperCase(java.util.Locale.ROOT).replaceFirst("^SEP", "").replaceAll("[:.\\-]", "");
        return devices.stream().filter(d -> d.mac().equals(m)).findFirst();
    }

    /** Key size of a node's certificate: the node's own setting, else the cluster's for that unit, else the default. */
    public int keySize(NodeSpec node, CertificateUnit unit) {
        Integer own = node.keySizes().get(unit);
        return own != null ? own : keySize(unit.cliName());
    }

    /** Key size of a cluster-wide key ("CAPF", "eToken", "LSC") or of a unit by its CLI name. */
    public int keySize(String what) {
        return keySizes.getOrDefault(what, keySizes.getOrDefault("default", DEFAULT_KEY_SIZE));
    }
}
