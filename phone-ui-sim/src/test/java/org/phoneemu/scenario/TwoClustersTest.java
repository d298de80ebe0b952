package org.phoneemu.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.phone.NettyPhoneNetwork;

/** Two clusters in one run must not share a loopback address: the run says which clusters and which address. */
class TwoClustersTest {
    static MultiThreadIoEventLoopGroup group;
    static NettyPhoneNetwork network;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
    }

    @AfterAll
    static void stop() throws Exception {
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void clustersWhoseNodesShareAnAddressAreRefusedWithBothNames() throws Exception {
        Path clusters = Vectors.root().getParent().resolve("config/scenarios/clusters");
        Path f = dir.resolve("clash.yaml");
        Files.writeString(f, "name: clash\nclusters: {A: " + clusters.resolve("one-node.yaml") + ", B: " + clusters.resolve("two-node.yaml")
                + "}\nphones: [\"001122334455\"]\nsteps:\n  - boot: all\n");
        ScenarioResult r = new ScenarioRunner(dir.resolve("work"), clock -> network, null).run(ScenarioParser.parse(f));
        assertThat(r.error()).isEqualTo("clusters A and B both put a node on 127.0.0.2: give each cluster's nodes their own "
                + "loopback addresses (nodes[].address)");
        assertThat(r.checks()).isEmpty();
    }
}
