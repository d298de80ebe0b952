package org.phoneemu.cli;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.fleet.Device;
import org.phoneemu.fleet.FleetTarget;
import org.phoneemu.lab.Lab;
import org.phoneemu.lab.LabProvisioning;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Provisioning;

/** {@code fleet --sim}: the built-in cluster, with every fleet phone as a device, as the fleet's target. */
final class SimTarget implements FleetTarget {
    private final Cluster cluster;
    private final String against;
    private final List<InetSocketAddress> servers;
    private final Map<String, KeyMaterial> lscs = new LinkedHashMap<>();

    private SimTarget(Cluster cluster, ClusterSpec base, String against) {
        this.cluster = cluster;
        this.against = against;
        this.servers = SimCluster.tftpServers(cluster);
        for (var d : base.devices()) {
            if (d.lsc()) {
                cluster.deviceLsc(d.mac()).ifPresent(k -> lscs.put(d.mac(), k));
            }
        }
    }

    /**
     * Starts the cluster of {@code file} ({@code base}, already loaded) with the fleet's phones, state under {@code state};
     * it trusts the CA of the phones' MICs kept in {@code keyPool}.
     */
    static Starter starter(Path file, ClusterSpec base, List<Device> devices, Path state, Path keyPool) {
        return (EventLoopGroup group, EventLoopGroup tftpGroup, Consumer<String> say) -> {
            ClusterSpec spec = SimCluster.withDevices(base, devices);
            say.accept("Starting the simulated cluster " + file + " with " + spec.devices().size() + " devices...");
            return new SimTarget(SimCluster.start(spec, state, Clock.systemUTC(), group, tftpGroup,
                    org.phoneemu.core.store.ManufacturingCaStore.open(keyPool)), base, "--sim " + file); // the CA of the phones' MicPool
        };
    }

    @Override
    public String against() {
        return against;
    }

    @Override
    public List<InetSocketAddress> tftpServers() {
        return servers;
    }

    @Override
    public Map<String, KeyMaterial> lscs() {
        return lscs;
    }

    /** The phone's path on the ports the cluster's first TFTP node really serves HTTP(S) on. */
    @Override
    public Provisioning provisioning(Provisioning wanted) {
        return servers.isEmpty() ? wanted : LabProvisioning.of(cluster, servers.get(0), wanted);
    }

    /** The built-in cluster's node names have no DNS entry: the phones register to them through this map. */
    @Override
    public void prepare(NettyPhoneNetwork network) {
        network.callManagerNames(Lab.callManagerNames(cluster));
    }

    /** A CUCM CLI command on the publisher. */
    @Override
    public List<String> admin(String command) {
        return new AdminShell(cluster, cluster.publisher().id()).execute(command).lines().toList();
    }

    @Override
    public Optional<String> servedItlMd5() {
        return cluster.nodes().stream().filter(n -> n.tftp()).findFirst()
                .flatMap(n -> cluster.file(n.id(), "ITLFile.tlv"))
                .map(b -> HexFormat.of().formatHex(Certificates.hash("MD5", b)));
    }

    @Override
    public void close() {
        cluster.close();
    }
}
