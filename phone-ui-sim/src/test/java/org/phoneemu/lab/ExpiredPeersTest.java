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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.TransportDecision;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Button;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PressResult;
import org.phoneemu.phone.RegistrationStep;

/**
 * Servers the phone trusts but whose certificates are past their end date on the phone's clock (docs/TRUST-RULES.md §12
 * rule 7): the one TLS gate refuses them for TVS, HTTPS and SIP alike, nothing is sent, and a secure phone whose
 * CallManager certificate expired stays unregistered rather than registering over TCP. Over loopback, against the
 * simulated cluster.
 */
class ExpiredPeersTest {
    static final String MAC = "001122334455";
    static final String EXPIRED = "is trusted but its certificate expired on";

    @TempDir
    Path state;
    EventLoopGroup group;
    Cluster cluster;
    VirtualClock clock;
    NettyPhoneNetwork network;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
    }

    void cluster(String certificates) throws Exception {
        String yaml = """
                cluster:
                  name: expiry
                  domain: lab.example
                  keySizes: {default: 1024}
                  mixedMode: true
                  ports: {tftp: 0, tvs: 0, https: 0}
                nodes:
                  - {hostname: pub, address: 127.0.0.1, certificates: %s}
                groups:
                  - {name: G1, members: [pub]}
                devices:
                  - {mac: "%s", model: 7970, group: G1, securityMode: 2}
                """.formatted(certificates, MAC);
        cluster = Cluster.builder().spec(ClusterSpec.parse(yaml, null)).stateDirectory(state.resolve("cluster")).clock(clock)
                .freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        network = new NettyPhoneNetwork(group).callManagerNames(this::node);
    }

    @AfterEach
    void stop() {
        if (network != null) {
            network.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    Optional<Inet4Address> node(String fqdn) {
        return cluster.nodes().stream().filter(n -> n.fqdn().equalsIgnoreCase(fqdn)).map(n -> (Inet4Address) n.address()).findFirst();
    }

    Phone phone() throws Exception {
        return Phone.builder().mac(MAC).model("7970").tftpServer(cluster.publisher().tftpAddress()).flash(state.resolve("flash"))
                .clock(clock).network(network).micBits(1024).registers(true).build();
    }

    @Test
    void anExpiredCallManagerCertificateLeavesASecurePhoneUnregisteredNeverOnTcp() throws Exception {
        cluster("{CallManager: {validDays: 2}}");
        Phone phone = phone();
        BootReport first = phone.boot().get(60, TimeUnit.SECONDS);
        assertThat(first.registered()).as("%s", first.registration()).isTrue();

        // The renewal (due on the phone's clock) after CallManager's end date: TLS still, and the gate refuses the server.
        clock.advance(Duration.ofDays(3));
        RegistrationStep.Attempted step = (RegistrationStep.Attempted) phone.keepRegistered().get(60, TimeUnit.SECONDS).orElseThrow();
        assertThat(step.transport()).as(step.text()).isInstanceOf(TransportDecision.Tls.class);
        assertThat(step.outcome()).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                .isNotEmpty().allSatisfy(a -> assertThat(a.failure()).isEqualTo(RegistrationOutcome.AttemptFailure.EXPIRED_CERTIFICATE)));
        assertThat(step.registered()).isFalse();
        assertThat(phone.consoleLog().formatted()).anySatisfy(l -> assertThat(l).contains("SIP: CallManager").contains(EXPIRED));
        assertThat(cluster.sipRegistrations("pub")).allSatisfy(r -> assertThat(r.transport()).isNotEqualTo(
                org.phoneemu.core.sip.SipTransport.TCP));
    }

    @Test
    void anExpiredHttpsCertificateFromTheTvsCacheAndAnExpiredTvsServerAreRefusedWithNothingSent() throws Exception {
        cluster("{tomcat: {validDays: 1}, TVS: {validDays: 2}}");
        Phone phone = phone();
        assertThat(phone.boot().get(60, TimeUnit.SECONDS).trusted()).isTrue();

        // Ten minutes before tomcat's end date TVS vouches for it and the phone caches it for 86400 s.
        clock.advance(Duration.ofDays(1).minusMinutes(10));
        assertThat(phone.press(Button.DIRECTORIES).get(60, TimeUnit.SECONDS)).isInstanceOf(PressResult.Shown.class);

        // Twenty minutes later the cache still says yes, but the certificate is past its end date: the gate refuses it.
        clock.advance(Duration.ofMinutes(20));
        assertThat(phone.press(Button.DIRECTORIES).get(60, TimeUnit.SECONDS)).isInstanceOf(PressResult.HostNotFound.class);
        assertThat(phone.consoleLog().formatted()).anySatisfy(l -> assertThat(l).contains("SECD: EROR:srvr_cert_vfy: server")
                .contains(EXPIRED));

        // Past the TVS certificate's end date (and the cache entry's), the phone does not use the TVS server.
        clock.advance(Duration.ofDays(2));
        assertThat(phone.press(Button.DIRECTORIES).get(60, TimeUnit.SECONDS)).isInstanceOf(PressResult.HostNotFound.class);
        assertThat(phone.consoleLog().formatted()).anySatisfy(l -> assertThat(l).contains("SECD: EROR:tvs_cert_vfy: server")
                .contains(EXPIRED));
    }
}
