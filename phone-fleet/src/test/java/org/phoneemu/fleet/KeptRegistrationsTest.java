package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.PhoneTimer;

/**
 * A fleet kept registered against the simulated cluster over loopback: its registrar grants 2 s (the cluster file's
 * {@code keepAliveExpires}), so the phones renew every second on the connections they kept, with the subscriber kept warm;
 * in mixed mode (the CTL lists both CallManagers, so the backup is trusted) when the publisher's CallManager certificate is regenerated (it drops its connections and presents a certificate the
 * phones' ITL does not hold) every phone's next renewal fails over to the subscriber. Counts are awaited as events.
 */
class KeptRegistrationsTest {
    static final int PHONES = 6;
    static final String YAML = """
            cluster:
              name: soak
              keySizes: {default: 1024}
              keepAliveExpires: 2
              mixedMode: true
              ports: {tftp: 0, tvs: 0, https: 0}
            nodes:
              - {hostname: pub, address: 127.0.0.71}
              - {hostname: sub, address: 127.0.0.72}
            groups:
              - {name: G1, members: [pub, sub]}
            devices:
            %s""";

    @TempDir
    Path tmp;
    EventLoopGroup group;
    Cluster cluster;
    NettyPhoneNetwork network;
    Fleet fleet;
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws Exception {
        List<Device> devices = DeviceList.generated("00AC00000001", PHONES, "8841");
        StringBuilder d = new StringBuilder();
        devices.forEach(x -> d.append("  - {mac: \"").append(x.mac()).append("\", model: 8841, group: G1, securityMode: 2}\n"));
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Path keys = tmp.resolve("keys");
        MicPool mics = MicPool.open(keys, 1024, 4, Clock.systemUTC());
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML.formatted(d), null)).stateDirectory(tmp.resolve("cluster"))
                .manufacturingCa(org.phoneemu.core.store.ManufacturingCaStore.open(keys)).freshState(true).mirrorFiles(false)
                .eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        network = new NettyPhoneNetwork(group).callManagerNames(n -> cluster.nodes().stream().filter(x -> x.fqdn().equalsIgnoreCase(n))
                .map(x -> (Inet4Address) x.address()).findFirst());
        fleet = Fleet.builder().devices(devices).tftpServers(List.of(cluster.publisher().tftpAddress())).network(network).mics(mics)
                .registers(true).keepsRegistrations(true).build();
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        if (fleet != null) {
            fleet.close();
        }
        if (network != null) {
            network.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void everyPhoneRenewsOnItsKeptConnectionAndFailsOverToTheWarmBackupWhenThePrimaryChangesItsCertificate() throws Exception {
        RoundResult boot = fleet.bootRound().get(120, TimeUnit.SECONDS);
        assertThat(boot.verdicts()).containsEntry(Verdict.TRUSTED, PHONES);
        assertThat(fleet.rows()).allMatch(r -> r.registration() == Registration.REGISTERED);

        try (KeptRegistrations kept = KeptRegistrations.start(fleet.phones(), Clock.systemUTC(), PhoneTimer.real(scheduler))) {
            assertThat(kept.phones()).isEqualTo(PHONES);
            // Each phone keeps its registration's connection to pub and the keep-alive's to sub.
            awaitTrue(() -> kept.renewals().succeeded() >= 3L * PHONES, () -> kept.renewals().line());
            awaitTrue(() -> network.keptSipConnections() == 2 * PHONES, () -> "kept " + network.keptSipConnections() + "\n"
                    + String.join("\n", fleet.phones().get(0).consoleLog().lines().stream().map(Object::toString).toList()));
            Renewals steady = kept.renewals();
            assertThat(steady.failed()).as(steady.line()).isZero();
            assertThat(steady.failovers()).isZero();
            assertThat(network.keptSipConnections()).as("renewals ride on the kept connections").isEqualTo(2 * PHONES);
            assertThat(cluster.sipRegistrations("pub")).hasSize(PHONES);

            cluster.admin("pub").regenerateCertificate(CertificateUnit.CALLMANAGER);
            awaitTrue(() -> kept.renewals().failovers() >= PHONES, () -> kept.renewals().line());
            Renewals after = kept.renewals();
            assertThat(after.registered()).isEqualTo(PHONES);
            assertThat(fleet.phones()).allSatisfy(p -> assertThat(p.registration().orElseThrow().text()).startsWith("registered to sub.lab.example"));
            assertThat(cluster.sipRegistrations("sub")).hasSize(PHONES);
        }
    }

    static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("waited 60 s; now: %s", state.get()).isTrue();
            Thread.sleep(20);
        }
    }
}
