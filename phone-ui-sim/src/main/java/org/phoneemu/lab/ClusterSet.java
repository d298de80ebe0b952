package org.phoneemu.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.phone.Phone;

/**
 * Several simulated clusters in one run (a migration from one to another): each with its own nodes, keys and state,
 * named as the scenario or the lab names them. The home cluster is the {@link Lab}'s (the phones start on it); the
 * others are started and closed here. Which cluster each phone is pointed at is its DHCP option 150, changed by
 * {@link #move}.
 */
public final class ClusterSet implements AutoCloseable {
    private final Lab lab;
    private final String home;
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final Map<String, AdminShell> shells = new LinkedHashMap<>();
    private final Map<String, String> pointedAt = new LinkedHashMap<>();
    private final java.nio.file.Path exchange;

    private ClusterSet(Lab lab, String home, java.nio.file.Path exchange) {
        this.lab = lab;
        this.home = home;
        this.exchange = exchange;
        clusters.put(home, lab.cluster());
    }

    /**
     * The lab's cluster named {@code home} and the {@code others} (built, not started: they are started here and
     * closed by {@link #close}). Two clusters may not put nodes on the same loopback address: a phone must be able to
     * tell them apart, and fixed ports would collide.
     *
     * @param exchange the folder every cluster's admin shell reads and writes (the SFTP server the administrators
     *                 share: downloaded certificates, Bulk Certificate Management's files)
     * @throws IllegalArgumentException two clusters share a name or an address
     */
    public static ClusterSet start(Lab lab, String home, Map<String, Cluster> others, java.nio.file.Path exchange) {
        ClusterSet set = new ClusterSet(lab, home, exchange);
        try {
            Map<String, Cluster> all = new LinkedHashMap<>();
            all.put(home, lab.cluster());
            for (Map.Entry<String, Cluster> e : others.entrySet()) {
                if (all.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("two clusters are named '" + e.getKey() + "'");
                }
            }
            checkApart(all);
            for (Map.Entry<String, Cluster> e : others.entrySet()) {
                set.clusters.put(e.getKey(), e.getValue());
                lab.resolveNamesOf(e.getValue());
            }
            for (Map.Entry<String, Cluster> e : others.entrySet()) {
                e.getValue().start().join();
            }
        } catch (RuntimeException e) {
            others.values().forEach(Cluster::close);
            throw e;
        }
        lab.phones().forEach(p -> set.pointedAt.put(p.mac(), home));
        return set;
    }

    /**
     * The one rule for clusters run side by side (a lab's, {@code cucm serve}'s): no two put a node
     * on the same loopback address, so that a phone can tell them apart and fixed ports do not collide.
     *
     * @param clusters by name, in the order the user gave them
     * @throws IllegalArgumentException naming both clusters and the address
     */
    public static void checkApart(Map<String, Cluster> clusters) {
        Map<InetAddress, String> taken = new LinkedHashMap<>();
        for (Map.Entry<String, Cluster> e : clusters.entrySet()) {
            for (Node n : e.getValue().nodes()) {
                String owner = taken.putIfAbsent(n.address(), e.getKey());
                if (owner != null && !owner.equals(e.getKey())) {
                    throw new IllegalArgumentException("clusters " + owner + " and " + e.getKey() + " both put a node on "
                            + n.address().getHostAddress() + ": give each cluster's nodes their own loopback addresses (nodes[].address)");
                }
            }
        }
    }

    /** The clusters' names, the home cluster first. */
    public List<String> names() {
        return List.copyOf(clusters.keySet());
    }

    public String home() {
        return home;
    }

    public Cluster cluster(String name) {
        Cluster c = clusters.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no cluster '" + name + "' in this run (clusters: " + String.join(", ", clusters.keySet()) + ")");
        }
        return c;
    }

    /** A cluster's TFTP nodes, publisher first: the option-150 list of a phone pointed at it. */
    public List<InetSocketAddress> tftpServers(String name) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Node n : cluster(name).nodes()) {
            if (n.tftp()) {
                out.add(n.tftpAddress());
            }
        }
        return out;
    }

    /** Points a phone at another cluster's TFTP servers, as a new DHCP option 150 would; the next boot uses them. */
    public CompletableFuture<Void> move(Phone phone, String to) {
        List<InetSocketAddress> servers = tftpServers(to);
        pointedAt.put(phone.mac(), to);
        return phone.useTftpServers(servers);
    }

    /** The cluster a phone is pointed at now. */
    public String clusterOf(Phone phone) {
        return pointedAt.getOrDefault(phone.mac(), home);
    }

    /** The MD5 of the ITL the first TFTP node of the phone's cluster serves now. */
    public Optional<String> servedItlMd5(Phone phone) {
        String name = clusterOf(phone);
        if (name.equals(home)) {
            return lab.servedItlMd5();
        }
        Cluster c = cluster(name);
        Node first = c.nodes().stream().filter(Node::tftp).findFirst().orElse(c.publisher());
        return c.file(first.id(), "ITLFile.tlv").map(b -> org.phoneemu.core.pki.Certificates.hash("MD5", b))
                .map(java.util.HexFormat.of()::formatHex);
    }

    /** A CUCM CLI command on a node of a cluster (its publisher when {@code node} is empty); CUCM's output. */
    public synchronized AdminShell.Result run(String cluster, String node, String command) {
        String name = cluster == null || cluster.isEmpty() ? home : cluster;
        Cluster c = cluster(name);
        String n = node == null || node.isEmpty() ? c.publisher().id() : node;
        return shells.computeIfAbsent(name + "/" + n, k -> new AdminShell(c, n).workingDirectory(exchange)).run(command);
    }

    /** Closes the clusters started here (the home cluster is the lab's). */
    @Override
    public void close() {
        clusters.forEach((name, c) -> {
            if (!name.equals(home)) {
                c.close();
            }
        });
    }
}
