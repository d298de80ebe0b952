package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.ResetEvent;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;

/** A registered phone reboots when CUCM resets it, as after "set cert regen CallManager". */
class ResetEventTest {
    @Test
    void phonesRebootOnTheClustersResetEvent(@TempDir Path tmp) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            Cluster cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                    .stateDirectory(tmp.resolve("cluster")).clock(clock).freshState(true).mirrorFiles(false).build();
            try (Lab lab = Lab.start(cluster, List.of("001122334455"), tmp.resolve("phones"), clock, network, 1024)) {
                Phone phone = lab.phone("001122334455").orElseThrow();
                assertThat(phone.boot().get(60, TimeUnit.SECONDS).trusted()).isTrue();
                String firstItl = phone.lastBoot().orElseThrow().itlMd5().orElseThrow();
                List<ResetEvent> events = new CopyOnWriteArrayList<>();
                lab.followResets(events::add);

                lab.admin(null, "set cert regen CallManager");
                lab.admin(null, "utils service restart Cisco Tftp");
                lab.admin(null, "utils reset phones");

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline
                        && phone.lastBoot().orElseThrow().itlMd5().orElseThrow().equals(firstItl)) {
                    Thread.sleep(50);
                }
                assertThat(events).isNotEmpty();
                assertThat(phone.lastBoot().orElseThrow().itlMd5()).isEqualTo(lab.servedItlMd5());
                assertThat(phone.lastBoot().orElseThrow().trusted()).isTrue();
                assertThat(phone.tvsContacts()).isPositive();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
