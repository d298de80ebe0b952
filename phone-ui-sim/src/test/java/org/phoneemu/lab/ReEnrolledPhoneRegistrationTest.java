package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.sip.SipRegistration;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;

/**
 * A phone whose LSC CAPF replaces registers with the new one: each connection's handshake presents the phone's identity
 * of the moment (ClientTls.handler), so the replaced LSC is never presented again.
 */
class ReEnrolledPhoneRegistrationTest {
    static final String MAC = "0011223344E1";
    static final String YAML = """
            cluster:
              name: reenrol
              domain: lab.example
              keySizes: {default: 1024}
              mixedMode: true
            nodes:
              - {hostname: pub, address: 127.0.0.1, ports: {tftp: 0, tvs: 0, https: 0, capf: 0, sip: 0, sips: 0}}
            groups:
              - {name: G1, members: [pub]}
            devices:
              - mac: "%s"
                model: 8841
                group: G1
                lsc: true
                securityMode: 2
                capf: {operation: none, authMode: nullString, keySize: 1024}
            """.formatted(MAC);

    @TempDir
    Path state;

    @Test
    void aReEnrolledPhoneRegistersWithItsNewLscAndTheRegistrarSeesIt() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        VirtualClock clock = new VirtualClock(Instant.now());
        try (Cluster cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(state.resolve("cluster")).clock(clock)
                .freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
             NettyPhoneNetwork network = new NettyPhoneNetwork(group).callManagerNames(fqdn -> cluster.nodes().stream()
                     .filter(n -> n.fqdn().equalsIgnoreCase(fqdn)).map(n -> (Inet4Address) n.address()).findFirst())) {
            cluster.start().get(60, TimeUnit.SECONDS);
            KeyMaterial first = cluster.deviceLsc(MAC).orElseThrow();
            Phone phone = Phone.builder().mac(MAC).model("8841").tftpServer(cluster.publisher().tftpAddress()).flash(state.resolve("flash"))
                    .clock(clock).network(network).micBits(1024).registers(true).lsc(first).build();
            BootReport before = phone.boot().get(60, TimeUnit.SECONDS);
            assertThat(before.registered()).as("%s", before.registration()).isTrue();
            assertThat(registeredWith(cluster)).isEqualTo(first.certificate());

            // CAPF re-enrols the phone on its next boot: a new key and LSC replace the first.
            cluster.setCapfSettings(MAC, cluster.capfSettings(MAC).orElseThrow().withOperation(CapfOperation.INSTALL_UPGRADE));
            BootReport after = phone.boot().get(60, TimeUnit.SECONDS);
            assertThat(phone.consoleLog().contains("SIP: registered to pub.lab.example over TLS, expires 120 s")).isTrue();
            assertThat(after.registered()).as("%s", after.registration()).isTrue();
            X509Certificate second = registeredWith(cluster);
            assertThat(second).as("the registrar sees the new LSC, not the replaced one").isNotEqualTo(first.certificate());
            assertThat(second.getPublicKey()).isNotEqualTo(first.certificate().getPublicKey());
            assertThat(second.getIssuerX500Principal()).isEqualTo(cluster.capfCertificate().getSubjectX500Principal());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static X509Certificate registeredWith(Cluster cluster) {
        return cluster.sipRegistrations("pub").stream().filter(r -> r.deviceName().equals("SEP" + MAC))
                .map(SipRegistration::clientCertificate).flatMap(Optional::stream).findFirst().orElseThrow();
    }
}
