package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.NettyPhoneNetwork;

/**
 * The dashboard's first load after the lab's story showed the ITL of S1 as "served now" and every phone
 * "ITL differs" (the value was refreshed only when a page asked). Every admin command now leaves the lab's view of
 * the served ITL current, from the command line and from the web panel.
 */
class LabItlSeenByTheDashboardTest {
    @Test
    void aBackgroundReadBegunBeforeAnAdminCommandDoesNotPutTheOldItlBack(@TempDir Path tmp) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            Cluster cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                    .stateDirectory(tmp.resolve("cluster")).clock(clock).freshState(true).mirrorFiles(false).build();
            try (Lab lab = Lab.start(cluster, List.of("001122334455"), tmp.resolve("phones"), clock, network, 1024)) {
                Optional<String> old = lab.servedItlMd5();
                CountDownLatch read = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                lab.beforeBackgroundItlStore = () -> {
                    read.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                lab.clusterItlMd5(); // a dashboard's look: the background read takes the ITL served now, then waits
                assertThat(read.await(60, TimeUnit.SECONDS)).isTrue();
                lab.beforeBackgroundItlStore = () -> { };

                lab.admin(null, "utils itl reset localkey");
                Optional<String> now = lab.servedItlMd5();
                assertThat(now).isNotEqualTo(old);
                release.countDown();
                lab.awaitBackgroundItlReads();
                assertThat(lab.clusterItlMd5()).isEqualTo(now);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void theFirstLookAfterAnAdminCommandShowsTheItlItLeftServed(@TempDir Path tmp) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            Cluster cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                    .stateDirectory(tmp.resolve("cluster")).clock(clock).freshState(true).mirrorFiles(false).build();
            try (Lab lab = Lab.start(cluster, List.of("001122334455"), tmp.resolve("phones"), clock, network, 1024)) {
                Optional<String> atStart = lab.clusterItlMd5();
                assertThat(atStart).isPresent().isEqualTo(lab.servedItlMd5());

                lab.admin(null, "utils itl reset localkey");
                assertThat(lab.servedItlMd5()).isNotEqualTo(atStart);
                assertThat(lab.clusterItlMd5()).isEqualTo(lab.servedItlMd5());

                Optional<String> before = lab.servedItlMd5();
                lab.adminFromWeb("utils service restart Cisco Tftp");
                assertThat(lab.servedItlMd5()).isNotEqualTo(before);
                assertThat(lab.clusterItlMd5()).isEqualTo(lab.servedItlMd5());

                // The web panel's shell writes only inside the working directory: no recovery key into a folder of a page's choice.
                Path elsewhere = tmp.resolve("stolen");
                assertThat(lab.adminFromWeb("file get tftp ITLRecovery.p12 " + elsewhere)).contains("outside the working directory");
                assertThat(elsewhere).doesNotExist();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
