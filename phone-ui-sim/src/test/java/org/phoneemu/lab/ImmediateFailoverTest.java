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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.RegistrationKeeper;
import org.phoneemu.phone.RegistrationStep;
import org.phoneemu.phone.VirtualTimer;

/**
 * A phone kept registered loses its connection to the CallManager that registered it (docs/SIP.md §3): it registers
 * again at once, through its keeper's timer, on the connection kept warm to the backup, long before its renewal time;
 * when no CallManager takes it, it tries again after 1 s, 2 s, ... on the phone's clock. The loss here is the
 * publisher's {@code set cert regen CallManager}, which closes every TLS connection of its registrar (CUCM restarts
 * the service) and leaves it presenting a certificate the phone's CTL does not hold. Loopback, the simulated cluster,
 * a virtual clock moved by the test; every wait is on an event.
 */
class ImmediateFailoverTest {
    static final String SECURE = "001122334488";
    static final String YAML = SecurePhoneCluster.yaml("failover", SECURE, true);

    @TempDir
    Path state;
    EventLoopGroup group;
    Cluster cluster;
    VirtualClock clock;
    NettyPhoneNetwork network;
    Phone phone;
    VirtualTimer timer;
    final BlockingQueue<RegistrationStep> renewals = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        clock = new VirtualClock(Instant.now());
        cluster = SecurePhoneCluster.start(YAML, state, clock, group);
        network = new NettyPhoneNetwork(group, NettyPhoneNetwork.PHONE_TFTP, org.phoneemu.tvs.client.TvsClientOptions.DEFAULTS,
                org.phoneemu.tvs.https.HttpsOptions.DEFAULTS, this::tapRefers).callManagerNames(this::node);
        phone = Phone.builder().mac(SECURE).model("7970").tftpServer(cluster.publisher().tftpAddress()).flash(state.resolve("flash"))
                .clock(clock).network(network).micBits(1024).registers(true).lsc(cluster.deviceLsc(SECURE).orElseThrow()).build()
                .keepsSipConnections(true);
        assertThat(phone.boot().get(60, TimeUnit.SECONDS).registered()).isTrue();
        assertThat(phone.consoleLog().contains("SIP: backup CallManager sub.lab.example answered the keep-alive REGISTER: 200 OK")).isTrue();
        timer = new VirtualTimer(clock);
    }

    @AfterEach
    void stop() {
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

    /** What becomes of the phone's REFERs: sent (null), or handed to this instead of CallManager. */
    volatile java.util.function.Consumer<io.netty.channel.Channel> onRefer;

    void tapRefers(io.netty.channel.Channel ch) {
        if (ch.pipeline().context("encoder") == null) {
            return;
        }
        ch.pipeline().addAfter("encoder", "referTap", new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                java.util.function.Consumer<io.netty.channel.Channel> instead = onRefer;
                if (instead != null && msg instanceof org.phoneemu.sip.codec.SipMessage.Request r && r.method().equals("REFER")) {
                    promise.setSuccess();
                    instead.accept(ctx.channel());
                    return;
                }
                ctx.write(msg, promise);
            }
        });
    }

    Optional<Inet4Address> node(String fqdn) {
        return SecurePhoneCluster.node(cluster, fqdn);
    }

    int port(String node) {
        return cluster.sipAddress(node, SipTransport.TLS).orElseThrow().getPort();
    }

    /** Completes when the phone's console says {@code text}. */
    CompletableFuture<Void> said(String text) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        phone.consoleLog().subscribe(l -> {
            if (l.text().contains(text)) {
                f.complete(null);
            }
        });
        return f;
    }

    @Test
    void whenThePrimaryDropsTheConnectionThePhoneRegistersOnTheWarmBackupAtOnceNotAtItsRenewal() throws Exception {
        Instant due = phone.reRegisterAt().orElseThrow();
        try (RegistrationKeeper keeper = RegistrationKeeper.start(phone, clock, timer, renewals::add)) {
            assertThat(timer.next()).contains(due);
            Instant before = clock.instant();
            CompletableFuture<Void> failingOver = said("SIP: lost the connection to CallManager pub.lab.example:" + port("pub")
                    + ", which registered the phone: registering again now, the other CallManagers first");
            String regen = new AdminShell(cluster, "pub").execute("set cert regen CallManager");
            assertThat(regen).contains("Successfully Regenerated Certificate for CallManager.");
            failingOver.get(30, TimeUnit.SECONDS);
            // The keeper's one wait is now (the clock has not moved), not the renewal 115 s away.
            RegistrationKeeperTest.awaitArmed(timer, before);
            assertThat(timer.advance(Duration.ZERO)).isEqualTo(1);
            RegistrationStep step = renewals.poll(30, TimeUnit.SECONDS);
            assertThat(step).isNotNull();
            assertThat(step.attempted()).get().isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                    r -> assertThat(r.target().node()).isEqualTo("sub.lab.example"));
            assertThat(clock.instant()).isEqualTo(before).isBefore(due);
            // On the connection kept warm: no new connection to the backup, and nothing to the publisher first (its one
            // connect was the boot's).
            assertThat(phone.consoleLog().contains("SIP: REGISTER sent to sub.lab.example:" + port("sub") + " on the open connection")).isTrue();
            assertThat(phone.consoleLog().lines().stream().filter(l -> l.text().contains("SIP: registering to pub.lab.example"))).hasSize(1);
            assertThat(cluster.sipRegistrations("sub")).anySatisfy(reg -> assertThat(reg.deviceName()).isEqualTo("SEP" + SECURE));
            RegistrationKeeperTest.awaitArmed(timer, phone.reRegisterAt().orElseThrow());
            assertThat(phone.reRegisterAt()).contains(before.plusSeconds(115));
        }
    }

    @Test
    void whenNoCallManagerTakesThePhoneAfterTheLossItTriesAgainAfterOneThenTwoSeconds() throws Exception {
        try (RegistrationKeeper keeper = RegistrationKeeper.start(phone, clock, timer, renewals::add)) {
            // The backup now refuses this device over TLS (its profile became Non Secure; the phone learns it at its next boot).
            assertThat(new AdminShell(cluster, "pub").execute("set device security SEP" + SECURE + " non-secure")).contains("Non Secure");
            CompletableFuture<Void> failingOver = said("registering again now");
            new AdminShell(cluster, "pub").execute("set cert regen CallManager");
            failingOver.get(30, TimeUnit.SECONDS);
            Instant lostAt = clock.instant();
            RegistrationKeeperTest.awaitArmed(timer, lostAt);

            CompletableFuture<Void> once = said("SIP: not registered since the connection to pub.lab.example:" + port("pub")
                    + " was lost: trying again in 1 s");
            timer.advance(Duration.ZERO);
            assertThat(renewals.poll(30, TimeUnit.SECONDS)).isNotNull().matches(s -> !s.registered());
            once.get(30, TimeUnit.SECONDS);
            RegistrationKeeperTest.awaitArmed(timer, lostAt.plusSeconds(1));

            CompletableFuture<Void> twice = said("trying again in 2 s");
            assertThat(timer.advance(Duration.ofMillis(999))).isZero();
            assertThat(timer.advance(Duration.ofMillis(1))).isEqualTo(1);
            assertThat(renewals.poll(30, TimeUnit.SECONDS)).isNotNull().matches(s -> !s.registered());
            twice.get(30, TimeUnit.SECONDS);
            RegistrationKeeperTest.awaitArmed(timer, lostAt.plusSeconds(3));
            assertThat(phone.consoleLog().contains("Device security mismatch: expected TCP")).isTrue();
        }
        // Closed: the keeper hears of nothing more.
        assertThat(timer.next()).isEmpty();
    }

    @Test
    void whenTheWarmBackupDropsItsConnectionNothingHappensUntilTheNextRenewalWarmsItAgain() throws Exception {
        Instant due = phone.reRegisterAt().orElseThrow();
        try (RegistrationKeeper keeper = RegistrationKeeper.start(phone, clock, timer, renewals::add)) {
            CompletableFuture<Void> closed = said("SIP: CallManager sub.lab.example:" + port("sub") + " closed the connection the phone kept open");
            new AdminShell(cluster, "sub").execute("set cert regen CallManager");
            closed.get(30, TimeUnit.SECONDS);
            // Events, not time: the event loops finished the handler that reported the end, and the phone's executor
            // ran what it handed on (the check below runs on that executor after it).
            for (io.netty.util.concurrent.EventExecutor loop : group) {
                loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
            }
            assertThat(phone.keepRegistered().get(30, TimeUnit.SECONDS)).as("nothing due").isEmpty();
            assertThat(phone.consoleLog().contains("SIP: lost the connection")).isFalse();
            assertThat(timer.next()).as("still the renewal's time").contains(due);

            // The renewal, on the publisher's kept connection, then a new keep-alive connection to the backup.
            timer.advance(Duration.between(clock.instant(), due));
            assertThat(renewals.poll(30, TimeUnit.SECONDS)).isNotNull().matches(RegistrationStep::registered);
            assertThat(phone.consoleLog().contains("SIP: REGISTER sent to pub.lab.example:" + port("pub") + " on the open connection")).isTrue();
            assertThat(phone.consoleLog().lines().stream().filter(l -> l.text().contains("SIP: registering to sub.lab.example:" + port("sub"))))
                    .as("the boot's keep-alive connection, then the renewal's").hasSize(2);
        }
    }

    @Test
    void aLossDuringTheRenewalsReferWindowIsAppliedWhenTheRenewalEnds() throws Exception {
        Instant due = phone.reRegisterAt().orElseThrow();
        try (RegistrationKeeper keeper = RegistrationKeeper.start(phone, clock, timer, renewals::add)) {
            // The renewal's REGISTER is answered on the publisher's kept connection; under its REFER, that connection ends.
            onRefer = io.netty.channel.Channel::close;
            CompletableFuture<Void> failingOver = said("SIP: lost the connection to CallManager pub.lab.example:" + port("pub")
                    + ", which registered the phone: registering again now");
            timer.advance(Duration.between(clock.instant(), due));
            RegistrationStep renewal = renewals.poll(30, TimeUnit.SECONDS);
            assertThat(renewal).isNotNull();
            assertThat(renewal.attempted()).get().isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                    r -> assertThat(r.target().node()).isEqualTo("pub.lab.example"));
            failingOver.get(30, TimeUnit.SECONDS);
            onRefer = null;
            Instant lostAt = clock.instant();
            RegistrationKeeperTest.awaitArmed(timer, lostAt);
            assertThat(timer.advance(Duration.ZERO)).isEqualTo(1);
            RegistrationStep step = renewals.poll(30, TimeUnit.SECONDS);
            assertThat(step).isNotNull();
            assertThat(step.attempted()).get().isInstanceOfSatisfying(RegistrationOutcome.Registered.class,
                    r -> assertThat(r.target().node()).isEqualTo("sub.lab.example"));
        }
    }

    @Test
    void stoppingTheNetworkThenTheEventLoopsStartsNoFailover() throws Exception {
        try (RegistrationKeeper keeper = RegistrationKeeper.start(phone, clock, timer, renewals::add)) {
            network.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            // Whatever the event loops handed the phone's executor before they stopped has run after this.
            phone.keepRegistered().get(30, TimeUnit.SECONDS);
            assertThat(phone.consoleLog().contains("SIP: lost the connection")).isFalse();
        }
    }
}
