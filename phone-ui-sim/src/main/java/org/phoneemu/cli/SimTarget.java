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
    /** The name of the second cluster ({@code --cluster-b}) in {@code --move-before} and {@code --admin-before 'B: ...'}. */
    static final String B = "B";

    private final Cluster cluster;
    private final Optional<Cluster> clusterB;
    private final String against;
    private final List<InetSocketAddress> servers;
    private final Map<String, KeyMaterial> lscs = new LinkedHashMap<>();
    private final Optional<Path> exchange;
    private final Map<String, AdminShell> shells = new LinkedHashMap<>();

    private SimTarget(Cluster cluster, Optional<Cluster> clusterB, ClusterSpec base, String against, Optional<Path> exchange) {
        this.cluster = cluster;
        this.clusterB = clusterB;
        this.against = against;
        this.exchange = exchange;
        this.servers = SimCluster.tftpServers(cluster);
        for (var d : base.devices()) {
            if (d.lsc()) {
                cluster.deviceLsc(d.mac()).ifPresent(k -> lscs.put(d.mac(), k));
            }
        }
    }

    /** A second cluster beside the first ({@code fleet --cluster-b}): its file, loaded, and where its state goes. */
    record Second(Path file, ClusterSpec spec, Path state) {
    }

    /**
     * Starts the cluster of {@code file} ({@code base}, already loaded) with the fleet's phones, state under {@code state};
     * it trusts the CA of the phones' MICs kept in {@code keyPool}.
     */
    static Starter starter(Path file, ClusterSpec base, List<Device> devices, Path state, Path keyPool) {
        return starter(file, base, devices, state, keyPool, Optional.empty());
    }

    /**
     * As above, with a second cluster {@code b} started beside it (a migration's destination): it knows the fleet's
     * phones too, and both clusters' admin shells read and write one folder, {@code state}'s sibling {@code sftp} (the
     * SFTP server administrators share for certificates and Bulk Certificate Management's files).
     */
    static Starter starter(Path file, ClusterSpec base, List<Device> devices, Path state, Path keyPool, Optional<Second> b) {
        return (EventLoopGroup group, EventLoopGroup tftpGroup, Consumer<String> say) -> {
            ClusterSpec spec = SimCluster.withDevices(base, devices);
            say.accept("Starting the simulated cluster " + file + " with " + spec.devices().size() + " devices...");
            org.phoneemu.core.pki.ManufacturingCa ca = org.phoneemu.core.store.ManufacturingCaStore.open(keyPool); // the CA of the phones' MicPool
            Cluster a = SimCluster.start(spec, state, Clock.systemUTC(), group, tftpGroup, ca);
            if (b.isEmpty()) {
                return new SimTarget(a, Optional.empty(), base, "--sim " + file, Optional.empty());
            }
            Second second = b.get();
            Cluster started;
            try {
                ClusterSpec specB = SimCluster.withDevices(second.spec(), devices);
                say.accept("Starting the simulated cluster B " + second.file() + " with " + specB.devices().size() + " devices...");
                started = SimCluster.start(specB, second.state(), Clock.systemUTC(), group, tftpGroup, ca);
            } catch (RuntimeException | java.io.IOException e) {
                a.close();
                throw e;
            }
            try {
                Map<String, Cluster> both = new LinkedHashMap<>();
                both.put("A (" + file + ")", a);
                both.put(B + " (" + second.file() + ")", started);
                org.phoneemu.lab.ClusterSet.checkApart(both);
            } catch (IllegalArgumentException e) {
                a.close();
                started.close();
                throw new UserError(PhoneEmu.BAD_INPUT, "--cluster-b: " + e.getMessage());
            }
            Path sftp = state.resolveSibling("sftp");
            java.nio.file.Files.createDirectories(sftp);
            return new SimTarget(a, Optional.of(started), base, "--sim " + file + " --cluster-b " + second.file(), Optional.of(sftp));
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

    @Override
    public boolean inProcess() {
        return true;
    }

    /** The built-in cluster's node names have no DNS entry: the phones register to them through this map. */
    @Override
    public void prepare(NettyPhoneNetwork network) {
        var names = Lab.callManagerNames(cluster);
        network.callManagerNames(clusterB.map(b -> {
            var namesB = Lab.callManagerNames(b); // a phone moved to B registers to B's nodes
            return (java.util.function.Function<String, Optional<java.net.Inet4Address>>) n -> names.apply(n).or(() -> namesB.apply(n));
        }).orElse(names));
    }

    /** A CUCM CLI command on the publisher; with a cluster B, {@code B: command} runs on B's publisher. */
    @Override
    public List<String> admin(String command) {
        String line = command;
        Cluster on = cluster;
        if (clusterB.isPresent() && command.startsWith(B + ":")) {
            on = clusterB.get();
            line = command.substring(B.length() + 1).strip();
        }
        if (exchange.isEmpty()) {
            return new AdminShell(on, on.publisher().id()).execute(line).lines().toList();
        }
        Cluster c = on;
        AdminShell shell = shells.computeIfAbsent(on == cluster ? "A" : B,
                k -> new AdminShell(c, c.publisher().id()).workingDirectory(exchange.get()));
        return shell.execute(line).lines().toList();
    }

    /** {@code B}: the second cluster's TFTP servers ({@code A}: the first's). */
    @Override
    public List<InetSocketAddress> tftpServersOf(String name) {
        if (name.equals("A")) {
            return servers;
        }
        if (name.equals(B) && clusterB.isPresent()) {
            return SimCluster.tftpServers(clusterB.get());
        }
        return FleetTarget.super.tftpServersOf(name);
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
        clusterB.ifPresent(Cluster::close);
    }
}
