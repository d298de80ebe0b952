package org.phoneemu.tac.internal.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.tac.served.Device;

/**
 * The cluster a {@link ClusterModel} infers from a live cluster's served files, as values in the terms of a cluster
 * file (config/clusters/README.md); {@link ClusterModelYaml} is its one writer.
 *
 * @param source what was read ("the cluster at …"), for the file's heading
 */
record ModelledCluster(String source, Settings settings, List<Node> nodes, List<Group> groups, List<DeviceEntry> devices) {
    ModelledCluster {
        nodes = List.copyOf(nodes);
        groups = List.copyOf(groups);
        devices = List.copyOf(devices);
    }

    /**
     * The cluster-wide keys.
     *
     * @param subject the certificate subject's attributes the model keeps, when the served names have any attribute
     */
    record Settings(String name, String domain, String nameStyle, String digest, int serialBytes, Optional<Map<String, String>> subject,
                    int defaultKeyBits, Optional<Integer> capfKeyBits, Optional<Integer> etokenKeyBits, String itlTftpRole,
                    boolean mixedMode, String ctlSigner, Optional<String> capfName, Optional<String> etokenName,
                    Optional<CallManagerCa> callManagerCa) {
    }

    /** The CA that signed the CallManager certificate, when it is not self-signed. */
    record CallManagerCa(String commonName, int serialBytes) {
    }

    /**
     * One node.
     *
     * @param domain   its domain when it is not the cluster's
     * @param keySizes by unit (CallManager, TVS, ITLRecovery, in that order), only those other than the default
     */
    record Node(String hostname, Optional<String> domain, String address, boolean tftp, Map<String, Integer> keySizes,
                Optional<String> itlRecoveryCommonName) {
    }

    /** A CallManager group; its members by host name. */
    record Group(String name, List<String> members) {
    }

    /**
     * A device's entry, from its served config.
     *
     * @param access       the numeric access settings of its vendor config (settingsAccess, webAccess, ...), in its order
     * @param vendorConfig its other vendor config settings, in its order
     */
    record DeviceEntry(Device device, String group, boolean lscEncryption, Optional<Integer> securityMode, Map<String, String> access,
                       Map<String, String> vendorConfig, Optional<String> loadInformation) {
        DeviceEntry inGroup(String other) {
            return new DeviceEntry(device, other, lscEncryption, securityMode, access, vendorConfig, loadInformation);
        }
    }
}
