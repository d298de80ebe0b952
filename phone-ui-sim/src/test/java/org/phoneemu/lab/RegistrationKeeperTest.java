package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.RegistrationKeeper;
import org.phoneemu.phone.RegistrationStep;
import org.phoneemu.phone.VirtualTimer;

/**
 * A phone kept registered by its {@link RegistrationKeeper}: the keeper waits for the phone's renewal time on the timer
 * of the phone's clock (here a virtual one, moved by the test; the renewals are awaited as events) and renews on the
 * registration's connection, kept open (docs/SIP.md §3).
 */
class RegistrationKeeperTest {
    static final String SECURE = "001122334477";
    static final String YAML = SecurePhoneCluster.yaml("keeptest", SECURE, true);

    @TempDir
    static Path state;
    static EventLoopGroup group;
    static Cluster cluster;
    static VirtualClock clock;
    static NettyPhoneNetwork network;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        clock = new VirtualClock(Instant.now());
        cluster = SecurePhoneCluster.start(YAML, state, clock, group);
        network = new NettyPhoneNetwork(group).callManagerNames(RegistrationKeeperTest::node);
    }

    @AfterAll
    static void stop() {
        if (network != null) {
            network.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static Optional<Inet4Address> node(String fqdn) {
        return SecurePhoneCluster.node(cluster, fqdn);
    }

    static Instant expiresAtPub() {
        return cluster.sipRegistrations("pub").stream().filter(x -> x.deviceName().equals("SEP" + SECURE)).findFirst().orElseThrow().expires();
    }

    @Test
    void theKeeperRenewsWhenThePhonesClockReachesItsRenewalTimeOnTheKeptConnectionUntilClosed() throws Exception {
        Phone phone = Phone.builder().mac(SECURE).model("7970").tftpServer(cluster.publisher().tftpAddress()).flash(state.resolve("flash"))
                .clock(clock).network(network).micBits(1024).registers(true).lsc(cluster.deviceLsc(SECURE).orElseThrow()).build()
                .keepsSipConnections(true);
        assertThat(phone.boot().get(60, TimeUnit.SECONDS).registered()).isTrue();
        Instant due = phone.reRegisterAt().orElseThrow();
        Instant expires = expiresAtPub();

        VirtualTimer timer = new VirtualTimer(clock);
        BlockingQueue<RegistrationStep> renewals = new LinkedBlockingQueue<>();
        try (RegistrationKeeper keeper = RegistrationKeeper.start(phone, clock, timer, renewals::add)) {
            assertThat(timer.next()).as("waits for the phone's renewal time").contains(due);
            assertThat(timer.advance(Duration.ofSeconds(114))).isZero();
            assertThat(timer.advance(Duration.ofSeconds(1))).isEqualTo(1);
            RegistrationStep first = renewals.poll(30, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.registered()).isTrue();
            assertThat(expiresAtPub()).isEqualTo(expires.plusSeconds(115));
            int port = cluster.sipAddress("pub", org.phoneemu.core.sip.SipTransport.TLS).orElseThrow().getPort();
            assertThat(phone.consoleLog().contains("SIP: REGISTER sent to pub.lab.example:" + port + " on the open connection")).isTrue();

            // The next wait is armed once the renewal is applied: its time comes from the new grant.
            Instant next = phone.reRegisterAt().orElseThrow();
            assertThat(next).isEqualTo(due.plusSeconds(115));
            awaitArmed(timer, next);
            timer.advance(Duration.ofSeconds(115));
            assertThat(renewals.poll(30, TimeUnit.SECONDS)).isNotNull().matches(RegistrationStep::registered);
            assertThat(expiresAtPub()).isEqualTo(expires.plusSeconds(230));
            awaitArmed(timer, phone.reRegisterAt().orElseThrow());
        }
        // Closed: nothing waits any more, and moving the clock renews nothing.
        assertThat(timer.next()).isEmpty();
        assertThat(timer.advance(Duration.ofSeconds(300))).isZero();
        assertThat(renewals).isEmpty();
    }

    /** The keeper arms its next wait on the phone's executor after the renewal is applied: an event, awaited. */
    static void awaitArmed(VirtualTimer timer, Instant at) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!timer.next().equals(Optional.of(at)) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(timer.next()).contains(at);
    }

    @Test
    void bootRefusesKeepRegisteredWithNoRegister() throws Exception {
        org.phoneemu.cli.Cli.Result r = org.phoneemu.cli.Cli.run("boot", "--tftp", "127.0.0.1:" + cluster.publisher().tftpPort(), "--mac",
                SECURE, "--state", state.resolve("cli").toString(), "--no-register", "--keep-registered");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--keep-registered needs the registration that --no-register turns off");
    }
}
