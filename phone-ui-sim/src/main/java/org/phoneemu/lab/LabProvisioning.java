package org.phoneemu.lab;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.phoneemu.core.device.ProvisioningPath;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.phone.Provisioning;

/**
 * A lab phone's provisioning (docs/PROTOCOLS.md §4): its model's path, on the ports the cluster's first TFTP node
 * really serves HTTP and HTTPS on (ephemeral in most lab clusters); TFTP only when that node serves no HTTP, so a
 * phone never asks another program that happens to listen on 6970 of the same address.
 */
public final class LabProvisioning {
    private LabProvisioning() {
    }

    static Provisioning of(Cluster cluster, InetSocketAddress firstTftp, String model) {
        return of(cluster, firstTftp, Provisioning.byModel(model));
    }

    /** {@code wanted}'s path on the ports the cluster serves; TFTP only when the node serves no HTTP. */
    public static Provisioning of(Cluster cluster, InetSocketAddress firstTftp, Provisioning wanted) {
        Provisioning byModel = wanted;
        Optional<Node> node = cluster.nodes().stream().filter(n -> n.tftp() && n.tftpAddress().equals(firstTftp)).findFirst();
        Optional<InetSocketAddress> http = node.flatMap(n -> cluster.provisioningAddress(n.id(), false));
        if (http.isEmpty()) {
            return byModel.withPath(ProvisioningPath.TFTP_ONLY);
        }
        int https = node.flatMap(n -> cluster.provisioningAddress(n.id(), true)).map(InetSocketAddress::getPort)
                .orElse(http.get().getPort());
        return byModel.withPorts(http.get().getPort(), https);
    }
}
