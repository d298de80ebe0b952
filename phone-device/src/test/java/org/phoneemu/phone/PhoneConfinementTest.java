package org.phoneemu.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tvs.client.TvsClientOptions;
import org.phoneemu.tvs.https.HttpsOptions;

/**
 * A phone's state is its executor's alone (with assertions on, as in tests, any other caller fails), and a boot's
 * decisions come back as values, which the console lines render.
 */
class PhoneConfinementTest {
    private static final String MAC = "001122334466";
    private static MultiThreadIoEventLoopGroup group;
    private static NettyPhoneNetwork network;

    @TempDir
    Path flash;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group, TftpOptions.defaults().withTimeout(Duration.ofMillis(200)).withRetries(1),
                TvsClientOptions.DEFAULTS, HttpsOptions.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void theSecurityDaemonRefusesCallersOffThePhonesExecutor() throws Exception {
        // A server address nothing listens on: this test never boots.
        Phone phone = Phone.builder().mac(MAC).tftpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)).flash(flash)
                .network(network).micBits(1024).build();

        assertThatThrownBy(() -> phone.securityDaemon().identity()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("off the phone's executor");
        assertThatThrownBy(() -> phone.securityDaemon().offerConfig("SEP" + MAC + ".cnf.xml", new byte[0]))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> phone.securityDaemon().erase(TrustListKind.ITL)).isInstanceOf(IllegalStateException.class);
        // The phone's own operations hop onto its executor: they pass.
        assertThat(phone.eraseItl().get(10, TimeUnit.SECONDS)).isNotNull();
        // Immutable reads stay open to any thread (web pages read them through Phone.view).
        boolean itlInstalled = phone.view(p -> p.securityDaemon().trust().itl().isPresent());
        assertThat(itlInstalled).isFalse();
    }

    @Test
    void theSerialExecutorKnowsWhetherTheCallerIsOneOfItsTasks() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            assertThat(serial.runsHere()).isFalse();
            assertThat(CompletableFuture.supplyAsync(serial::runsHere, serial).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(CompletableFuture.supplyAsync(serial::runsHere, pool).get(10, TimeUnit.SECONDS)).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBootsDecisionsAreValuesAndTheConsoleSaysTheirText() throws Exception {
        try (FileNotFoundTftpServer server = new FileNotFoundTftpServer()) {
            Phone phone = Phone.builder().mac(MAC).tftpServer(server.address()).flash(flash)
                    .network(network).micBits(1024).build();

            BootReport report = phone.boot().get(30, TimeUnit.SECONDS);

            assertThat(report.trustLists()).hasSize(2).allSatisfy(s -> assertThat(s).isInstanceOf(TrustListStep.NotServed.class));
            assertThat(report.trustLists()).extracting(TrustListStep::kind).containsExactly(TrustListKind.CTL, TrustListKind.ITL);
            assertThat(report.config()).containsInstanceOf(ConfigStep.NotDownloaded.class);
            assertThat(report.askedTvs()).isEmpty();
            for (TrustListStep s : report.trustLists()) {
                assertThat(phone.consoleLog().contains("SECD: tlRequestFile: " + s.text())).as(s.text()).isTrue();
            }
            assertThat(phone.consoleLog().contains(report.config().orElseThrow().text())).isTrue();
            assertThat(phone.lastBoot()).contains(report);
        }
    }
}
