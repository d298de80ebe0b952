package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.sip.TransportDecision;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.RegisterRequest;
import org.phoneemu.phone.RegistrationStep;

/**
 * An administrator gives a secure phone a Non Secure profile through the admin shell: its next boot registers over
 * TCP, and the registrar refuses that device over TLS (docs/SIP.md §7b).
 */
class DeviceProfileChangeTest {
    static final String SECURE = "001122334488";
    static final String YAML = SecurePhoneCluster.yaml("proftest", SECURE, false);

    @TempDir
    static Path state;
    static EventLoopGroup group;
    static Cluster cluster;
    static NettyPhoneNetwork network;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        cluster = SecurePhoneCluster.start(YAML, state, new VirtualClock(Instant.now()), group);
        network = new NettyPhoneNetwork(group).callManagerNames(n -> SecurePhoneCluster.node(cluster, n));
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

    static RegistrationStep.Attempted registration(BootReport r) {
        return (RegistrationStep.Attempted) r.registration().orElseThrow();
    }

    @Test
    void aSecurePhoneMadeNonSecureRegistersOverTcpAtItsNextBootAndTheRegistrarRefusesItOverTls() throws Exception {
        Phone phone = Phone.builder().mac(SECURE).model("7970").tftpServer(cluster.publisher().tftpAddress()).flash(state.resolve("flash"))
                .clock(cluster.clock()).network(network).micBits(1024).registers(true).lsc(cluster.deviceLsc(SECURE).orElseThrow()).build();
        BootReport before = phone.boot().get(60, TimeUnit.SECONDS);
        assertThat(before.registered()).isTrue();
        assertThat(registration(before).transport()).isInstanceOf(TransportDecision.Tls.class);

        String said = new AdminShell(cluster, "pub").execute("set device security SEP" + SECURE + " non-secure");
        assertThat(said).contains("Device Security Mode of SEP" + SECURE + " = Non Secure, transport TCP");
        assertThat(cluster.securityMode(SECURE)).contains(1);

        BootReport after = phone.boot().get(60, TimeUnit.SECONDS);
        assertThat(after.registered()).as(phone.consoleLog().lines().toString()).isTrue();
        assertThat(registration(after).transport()).isInstanceOf(TransportDecision.Tcp.class);
        assertThat(cluster.sipRegistrations("pub")).anySatisfy(reg -> {
            assertThat(reg.deviceName()).isEqualTo("SEP" + SECURE);
            assertThat(reg.transport()).isEqualTo(SipTransport.TCP);
        });

        // Over TLS with the LSC CUCM issued it, the device is refused now: its profile says TCP.
        int sips = cluster.sipAddress("pub", SipTransport.TLS).orElseThrow().getPort();
        RegistrationOutcome tls = network.register(new RegisterRequest(List.of(new CallManagerTarget(0, "127.0.0.1", sips, SipTransport.TLS)),
                SECURE, "7970", cluster.deviceLsc(SECURE), c -> true), new ConsoleLog("probe", cluster.clock())).get(30, TimeUnit.SECONDS);
        assertThat(tls).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.reason()).isEqualTo("Forbidden \"Device security mismatch: expected TCP\"");
        });

        // Back to Encrypted: TLS again at the next boot.
        new AdminShell(cluster, "pub").execute("set device security SEP" + SECURE + " encrypted");
        assertThat(registration(phone.boot().get(60, TimeUnit.SECONDS)).transport()).isInstanceOf(TransportDecision.Tls.class);
        assertThat(new AdminShell(cluster, "pub").execute("set device security SEP001122AABBCC non-secure")).contains("No device");
    }
}
