package org.phoneemu.tac.served;

import java.util.List;
import java.util.Optional;
import org.phoneemu.cucm.tvs.CertificateStore;

/**
 * What a cluster serves, as the tools see it: each TFTP node's files, the devices to look at, and for a simulated
 * cluster what its TVS knows (empty for a live cluster, which is only read over TFTP).
 */
public record ServedCluster(String label, List<NodeFiles> nodes, List<Device> devices, Optional<CertificateStore> tvs) {
    public ServedCluster {
        nodes = List.copyOf(nodes);
        devices = List.copyOf(devices);
    }

    /**
     * Whether a phone holding {@code held} holds what the cluster serves it now: what one of its TFTP nodes serves
     * it (each node signs its own ITL; a phone takes the one of the first node that answers).
     */
    public boolean servesNow(String deviceName, InstalledLists held) {
        return nodes.stream().anyMatch(n -> InstalledLists.servedTo(n, deviceName).equals(held));
    }

    /** The node a phone asks first (its option-150 list starts with it). */
    public NodeFiles firstNode() {
        return nodes.get(0);
    }
}
