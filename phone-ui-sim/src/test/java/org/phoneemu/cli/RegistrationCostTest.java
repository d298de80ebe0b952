package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.cucm.sip.RegistrarCounts;
import org.phoneemu.fleet.CryptoProviders;
import org.phoneemu.fleet.Device;
import org.phoneemu.fleet.DeviceList;
import org.phoneemu.fleet.MicPool;
import org.phoneemu.phone.NettyPhoneNetwork;

/**
 * What a registration of the bench's storm costs, counted by the simulated registrar, not timed: each is one TLS
 * connection, one full mutual-TLS handshake (the registrar's private key used once), one REGISTER and one 200. The
 * same phones registering again on new connections, as after a reboot (a phone keeps no TLS session across one), make
 * full handshakes again: none is resumed.
 */
class RegistrationCostTest {
    private static final Path REPO = org.phoneemu.core.testing.Vectors.root().getParent();
    private static final int PHONES = 6;

    @TempDir
    Path tmp;

    @Test
    void eachRegistrationIsOneConnectionOneFullHandshakeOneRegisterAndOneAnswerAndAReRegistrationResumesNothing() throws Exception {
        CryptoProviders.install();
        Path keyPool = tmp.resolve("keys");
        MicPool mics = MicPool.open(keyPool, 2048, 2, Clock.systemUTC());
        List<RegistrationStorm.Phone> phones = new ArrayList<>();
        List<Device> devices = DeviceList.generated(DeviceList.DEFAULT_MAC_BASE, PHONES, "7970");
        for (Device d : devices) {
            phones.add(new RegistrationStorm.Phone(d.mac(), mics.issue("CP-7970-" + d.name())));
        }
        ClusterSpec spec = SimCluster.withDevices(ClusterSpec.load(REPO.resolve("config/clusters/sip-bench.yaml")), devices);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group);
             Cluster cluster = SimCluster.start(spec, tmp.resolve("cluster"), Clock.systemUTC(), group,
                     org.phoneemu.core.store.ManufacturingCaStore.open(keyPool))) {
            Node pub = cluster.publisher();
            InetSocketAddress sips = cluster.sipAddress(pub.id(), SipTransport.TLS).orElseThrow();
            CallManagerTarget target = new CallManagerTarget(0, sips.getAddress().getHostAddress(), sips.getPort(), SipTransport.TLS);
            X509Certificate callManager = pub.certificate(CertificateUnit.CALLMANAGER);

            RegistrarCounts before = cluster.sipCounts(pub.id()).orElseThrow();
            RegistrationStorm.Result first = RegistrationStorm.run(network, target, phones, callManager::equals, 3, 60)
                    .withRegistrar(cluster.sipCounts(pub.id()).orElseThrow().since(before));
            assertThat(first.registered()).as(first.toString()).isEqualTo(PHONES);
            assertOneOfEachPerRegistration(first.registrar().orElseThrow(), PHONES);
            assertThat(first.costLine().orElseThrow())
                    .startsWith("per registration at the registrar: 1.00 TLS connection(s), 1.00 handshake(s) (1.00 full, 0.00 resumed), "
                            + "1.00 REGISTER, 1.00 answer(s) 200; TLSv1.3 ");

            // The same identities again, one at a time, on new connections: a full handshake each, nothing resumed.
            RegistrarCounts mid = cluster.sipCounts(pub.id()).orElseThrow();
            RegistrationStorm.Result again = RegistrationStorm.run(network, target, phones, callManager::equals, 1, 60);
            assertThat(again.registered()).as(again.toString()).isEqualTo(PHONES);
            assertOneOfEachPerRegistration(cluster.sipCounts(pub.id()).orElseThrow().since(mid), PHONES);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void assertOneOfEachPerRegistration(RegistrarCounts c, int registrations) {
        assertThat(c.tlsConnections()).as("TLS connections: %s", c).isEqualTo(registrations);
        assertThat(c.tlsHandshakes()).as("handshakes: %s", c).isEqualTo(registrations);
        assertThat(c.fullHandshakes()).as("full handshakes (the registrar's key used): %s", c).isEqualTo(registrations);
        assertThat(c.resumedHandshakes()).as("resumed: %s", c).isZero();
        assertThat(c.requests()).as("requests: %s", c).isEqualTo(Map.of("REGISTER", (long) registrations));
        assertThat(c.answers()).as("answers: %s", c).isEqualTo(Map.of(200, (long) registrations));
        assertThat(c.suites().values().stream().mapToLong(Long::longValue).sum()).as("suites: %s", c).isEqualTo(registrations);
    }
}
