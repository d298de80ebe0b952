package org.phoneemu.cli;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.cucm.config.NodeSpec;
import org.phoneemu.fleet.Device;

/** The built-in cluster of {@code fleet --sim} and {@code bench fleet}: the cluster file plus every fleet phone as a device. */
final class SimCluster {
    private SimCluster() {
    }

    /** The cluster with a device for every fleet phone it does not know, configured like its first device. */
    static ClusterSpec withDevices(ClusterSpec spec, List<Device> fleet) {
        if (spec.devices().isEmpty()) {
            throw new UserError(PhoneEmu.BAD_INPUT, "the cluster file has no device to model the fleet's phones on");
        }
        Set<String> known = new HashSet<>();
        spec.devices().forEach(d -> known.add(d.mac()));
        List<DeviceSpec> devices = new ArrayList<>(spec.devices());
        DeviceSpec model = spec.devices().get(0);
        for (Device d : fleet) {
            if (known.add(d.mac())) {
                devices.add(new DeviceSpec(d.mac(), d.model(), model.group(), false, Optional.empty(), false, model.securityMode(),
                        model.vendorConfig(), model.loadInformation()));
            }
        }
        return spec.withDevices(devices);
    }

    /**
     * Builds (fresh keys, files kept in memory only) and starts the cluster on {@code group}. Ephemeral ports (0)
     * are chosen before the build: the configs name the TVS and HTTPS ports, so a cluster that learnt its ports
     * only when it started would sign every device's config twice (a third of a 10,000-phone set-up). Should a
     * chosen port be taken in between, the cluster is built again on ephemeral ports.
     */
    static Cluster start(ClusterSpec spec, Path state, Clock clock, EventLoopGroup group, org.phoneemu.core.pki.ManufacturingCa manufacturingCa) throws IOException {
        return start(spec, state, clock, group, group, manufacturingCa);
    }

    /**
     * As {@link #start(ClusterSpec, Path, Clock, EventLoopGroup, org.phoneemu.core.pki.ManufacturingCa)}, the TFTP servers on {@code tftpGroup}.
     *
     * @param manufacturingCa the CA of the phones' MICs (their key pool's)
     */
    static Cluster start(ClusterSpec spec, Path state, Clock clock, EventLoopGroup group, EventLoopGroup tftpGroup,
                         org.phoneemu.core.pki.ManufacturingCa manufacturingCa) throws IOException {
        Cluster cluster = build(withFreePorts(spec), state, clock, group, tftpGroup, manufacturingCa);
        try {
            cluster.start().join();
            return cluster;
        } catch (java.util.concurrent.CompletionException e) {
            cluster.close();
        }
        cluster = build(spec, state, clock, group, tftpGroup, manufacturingCa);
        try {
            cluster.start().join();
        } catch (java.util.concurrent.CompletionException e) {
            cluster.close();
            throw UserInput.clusterStartFailure(e); // the hint fits the cause, as for lab and cucm serve
        }
        return cluster;
    }

    private static Cluster build(ClusterSpec spec, Path state, Clock clock, EventLoopGroup group, EventLoopGroup tftpGroup,
                                 org.phoneemu.core.pki.ManufacturingCa manufacturingCa) throws IOException {
        return Cluster.builder().spec(spec).stateDirectory(state).clock(clock).freshState(true).mirrorFiles(false)
                .manufacturingCa(manufacturingCa)
                .eventLoopGroup(group).tftpEventLoopGroup(tftpGroup).build();
    }

    private static ClusterSpec withFreePorts(ClusterSpec spec) throws IOException {
        List<NodeSpec> nodes = new ArrayList<>();
        for (NodeSpec n : spec.nodes()) {
            nodes.add(n.withPorts(n.tftpPort() == 0 ? freePort(n.address(), true) : n.tftpPort(),
                    n.tvsPort() == 0 ? freePort(n.address(), false) : n.tvsPort(),
                    n.httpsPort() == 0 ? freePort(n.address(), false) : n.httpsPort(),
                    n.capfPort() == 0 ? freePort(n.address(), false) : n.capfPort()));
        }
        return spec.withNodes(nodes);
    }

    private static int freePort(java.net.InetAddress address, boolean udp) throws IOException {
        if (udp) {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(address, 0))) {
                return s.getLocalPort();
            }
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }

    /** Every TFTP node, publisher first: the phones' option-150 list. */
    static List<InetSocketAddress> tftpServers(Cluster cluster) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            if (n.tftp()) {
                out.add(n.tftpAddress());
            }
        }
        return out;
    }
}
