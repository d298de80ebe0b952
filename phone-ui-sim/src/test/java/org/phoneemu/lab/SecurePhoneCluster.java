package org.phoneemu.lab;

import io.netty.channel.EventLoopGroup;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;

/**
 * The simulated cluster the registration tests share: mixed mode, one Encrypted 7970 with an LSC in group G1 of the
 * publisher (and, with a backup, the subscriber on 127.0.0.2), ephemeral ports, fresh state, files not mirrored.
 */
final class SecurePhoneCluster {
    private SecurePhoneCluster() {
    }

    static String yaml(String name, String mac, boolean withBackup) {
        return """
                cluster:
                  name: %s
                  domain: lab.example
                  keySizes: {default: 1024}
                  mixedMode: true
                  ports: {tftp: 0, tvs: 0, https: 0}
                nodes:
                  - {hostname: pub, address: 127.0.0.1}
                %sgroups:
                  - {name: G1, members: [%s]}
                devices:
                  - {mac: "%s", model: 7970, group: G1, lsc: true, securityMode: 3}
                """.formatted(name, withBackup ? "  - {hostname: sub, address: 127.0.0.2}\n" : "", withBackup ? "pub, sub" : "pub", mac);
    }

    /** The cluster of {@code yaml}, started, its state under {@code state/cluster}. */
    static Cluster start(String yaml, Path state, Clock clock, EventLoopGroup group) throws Exception {
        Cluster cluster = Cluster.builder().spec(ClusterSpec.parse(yaml, null)).stateDirectory(state.resolve("cluster")).clock(clock)
                .freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        return cluster;
    }

    /** A node's address by its FQDN, as the phones' network resolves CallManager names. */
    static Optional<Inet4Address> node(Cluster cluster, String fqdn) {
        return cluster.nodes().stream().filter(n -> n.fqdn().equalsIgnoreCase(fqdn)).map(n -> (Inet4Address) n.address()).findFirst();
    }
}
