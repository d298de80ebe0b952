package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;

/**
 * A stopped run: boots that never end (a server that went silent) stand for the phones in flight. No phone may be
 * missing from the rows, each unfinished one says why, and a boot ending after the grace changes nothing.
 */
class FleetStopTest {
    @TempDir
    Path tmp;
    private EventLoopGroup group;
    private NettyPhoneNetwork network;

    @BeforeEach
    void net() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
    }

    @AfterEach
    void close() throws Exception {
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private Fleet fleet(int phones, int concurrent) throws Exception {
        return Fleet.builder().devices(DeviceList.generated("00AB00000000", phones, "7970"))
                .tftpServers(List.of(new InetSocketAddress("127.0.0.1", 9))).network(network)
                .options(FleetOptions.defaults().withMaxConcurrent(concurrent))
                .mics(MicPool.open(tmp, 1024, 1, Clock.systemUTC())).build();
    }

    @Test
    void aStopMarksThePhonesBootingInterruptedAndTheOthersNotBooted() throws Exception {
        try (Fleet fleet = fleet(50, 8)) {
            Map<Phone, CompletableFuture<BootReport>> started = new ConcurrentHashMap<>();
            CountDownLatch eight = new CountDownLatch(8);
            fleet.startBootsWith(p -> {
                CompletableFuture<BootReport> never = new CompletableFuture<>();
                started.put(p, never);
                eight.countDown();
                return never;
            });
            FleetRun run = new FleetRun(fleet, 2, Duration.ZERO, Optional.empty());
            CompletableFuture<FleetRun.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return run.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(eight.await(30, TimeUnit.SECONDS)).isTrue();
            run.stop("SIGTERM");
            FleetRun.Outcome o = outcome.get(30, TimeUnit.SECONDS);

            assertThat(o.stopped()).contains("SIGTERM");
            assertThat(o.rounds()).hasSize(1); // the reboots never start
            assertThat(o.rounds().get(0).unfinished()).isEqualTo(50);
            List<PhoneResult> rows = fleet.rows();
            assertThat(rows).hasSize(50);
            Map<Verdict, Long> counts = rows.stream().collect(Collectors.groupingBy(PhoneResult::verdict, Collectors.counting()));
            assertThat(counts).containsEntry(Verdict.INTERRUPTED, 8L).containsEntry(Verdict.NOT_BOOTED, 42L);
            assertThat(rows.get(0).error()).hasValueSatisfying(e -> assertThat(e).contains("SIGTERM", "cut short"));
            assertThat(rows.get(49).error()).hasValueSatisfying(e -> assertThat(e).contains("SIGTERM", "not started"));

            // A boot ending after the round was closed changes no row.
            Set<Phone> inFlight = started.keySet();
            inFlight.forEach(p -> started.get(p).completeExceptionally(new IllegalStateException("late")));
            assertThat(fleet.rows()).isEqualTo(rows);
        }
    }

    @Test
    void theDeadlineStopsTheRunLikeASignal() throws Exception {
        try (Fleet fleet = fleet(20, 4)) {
            fleet.startBootsWith(p -> new CompletableFuture<>());
            FleetRun.Outcome o = new FleetRun(fleet, 0, Duration.ZERO, Optional.of(Duration.ofMillis(200))).run();
            assertThat(o.stopped()).hasValueSatisfying(s -> assertThat(s).contains("--max-duration"));
            // Whether any boot started within the 200 ms depends on the machine's load: either mark is right.
            assertThat(fleet.rows()).hasSize(20).extracting(PhoneResult::verdict).isSubsetOf(Verdict.INTERRUPTED, Verdict.NOT_BOOTED);
        }
    }

    @Test
    void aStopBetweenRoundsMarksTheNextRoundNotBooted() throws Exception {
        try (Fleet fleet = fleet(10, 4)) {
            FleetRun[] run = new FleetRun[1];
            fleet.startBootsWith(p -> CompletableFuture.failedFuture(new IllegalStateException("no server")));
            run[0] = new FleetRun(fleet, 3, Duration.ofSeconds(5), Optional.empty())
                    .onRoundEnd((r, cpu) -> run[0].stop("SIGINT"));
            FleetRun.Outcome o = run[0].run();
            assertThat(o.rounds()).hasSize(2);
            assertThat(o.rounds().get(0).stopped()).isFalse();
            assertThat(fleet.rows()).extracting(PhoneResult::verdict).containsOnly(Verdict.NOT_BOOTED);
            assertThat(fleet.rows().get(0).error()).hasValueSatisfying(e -> assertThat(e).contains("before this phone's reboot 1"));
        }
    }
}
