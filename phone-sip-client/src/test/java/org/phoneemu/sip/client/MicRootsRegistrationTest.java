package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.ManufacturingCa;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.store.ManufacturingCaStore;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.NodeAdmin;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.MicTrustStore;
import org.phoneemu.tls.client.Ipv4;

/**
 * The registrar accepts a MIC only while its manufacturing root is in CallManager-trust (docs/SIP.md §7): a phone's own
 * SIP client over loopback, against a cluster given the manufacturing CA of a key pool folder of its own.
 */
class MicRootsRegistrationTest {
    static final String MIC_PHONE = "0011223344D1";
    static final String LSC_PHONE = "0011223344D2";
    static final String YAML = """
            cluster:
              name: microots
              domain: lab.example
              keySizes: {default: 1024}
              ports: {tftp: 0, tvs: 0, https: 0}
            nodes:
              - {hostname: pub, address: 127.0.0.1}
            devices:
              - {mac: "%s", model: 8851, securityMode: 2}
              - {mac: "%s", model: 8851, lsc: true, securityMode: 2}
            """.formatted(MIC_PHONE, LSC_PHONE);

    @TempDir
    Path tmp;
    EventLoopGroup group;
    Cluster cluster;
    ManufacturingCa ca;
    SipRegistrationClient client;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ca = ManufacturingCaStore.open(tmp.resolve("key-pool"));
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(tmp.resolve("state"))
                .clock(new VirtualClock(java.time.Instant.now())).freshState(true).mirrorFiles(false).eventLoopGroup(group)
                .manufacturingCa(ca).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(), name -> Ipv4.resolve("127.0.0.1"));
    }

    @AfterEach
    void stop() {
        cluster.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    RegistrationOutcome register(String mac, KeyMaterial cert, ConsoleLog log) throws Exception {
        int port = cluster.sipAddress("pub", SipTransport.TLS).orElseThrow().getPort();
        List<CallManagerTarget> targets = List.of(new CallManagerTarget(0, "pub.lab.example", port, SipTransport.TLS));
        X509Pin pin = new X509Pin(cluster.publisher().certificate(org.phoneemu.cucm.pki.CertificateUnit.CALLMANAGER));
        return client.register(new SipRegistrationClient.Request(targets, new RegisterIdentity(new Mac(mac), new PhoneModel("8851"), "12.8.1"),
                Optional.of(cert), pin::matches, log)).get(30, TimeUnit.SECONDS);
    }

    /** The phone's check of CallManager's certificate, pinned (the trust-list rule is SipRegistrationTest's). */
    record X509Pin(java.security.cert.X509Certificate expected) {
        boolean matches(java.security.cert.X509Certificate c) {
            return expected.equals(c);
        }
    }

    static void refusedForTls(RegistrationOutcome o) {
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.reason()).isEqualTo("Forbidden \"TLS authentication failure\"");
        });
    }

    @Test
    void aSelfSignedMicShapedCertificateIsRefused() throws Exception {
        KeyMaterial selfSigned = org.phoneemu.core.testing.TestPki.rsa("CN=CP-8851-SEP" + MIC_PHONE + ",O=Cisco Systems Inc.,OU=phone-emu MIC", 1024, 16);
        refusedForTls(register(MIC_PHONE, selfSigned, new ConsoleLog("p", cluster.clock())));
        // Issued by another manufacturing CA (the default folder's), whose root this cluster does not hold: refused too.
        KeyMaterial otherCa = ManufacturingCaStore.open(tmp.resolve("other-pool")).issueWithNewKey("CP-8851-SEP" + MIC_PHONE, 1024, cluster.clock());
        refusedForTls(register(MIC_PHONE, otherCa, new ConsoleLog("p", cluster.clock())));
    }

    @Test
    void aMicIssuedByTheManufacturingCaRegistersUntilBothItsCasAreDeletedFromCallManagerTrust() throws Exception {
        KeyMaterial mic = ca.issueWithNewKey("CP-8851-SEP" + MIC_PHONE, 1024, cluster.clock());
        assertThat(mic.issuers()).containsExactly(ca.intermediate());
        assertThat(register(MIC_PHONE, mic, new ConsoleLog("p", cluster.clock()))).isInstanceOf(RegistrationOutcome.Registered.class);
        KeyMaterial lsc = cluster.deviceLsc(LSC_PHONE).orElseThrow();
        assertThat(register(LSC_PHONE, lsc, new ConsoleLog("p", cluster.clock()))).isInstanceOf(RegistrationOutcome.Registered.class);

        String intermediate = NodeAdmin.trustFileName(ca.intermediate());
        String root = NodeAdmin.trustFileName(ca.root());
        assertThat(intermediate).isEqualTo("Cisco_Manufacturing_CA_SHA2.pem");
        assertThat(root).isEqualTo("Cisco_Root_CA_M2.pem");
        AdminShell shell = new AdminShell(cluster, "pub").workingDirectory(tmp);
        AdminShell.Result deleted = shell.run("set cert delete CallManager-trust " + intermediate);
        assertThat(deleted.refused()).isFalse();
        assertThat(deleted.output()).isEqualTo("Successfully deleted certificate " + intermediate + " from CallManager-trust.\n");
        assertThat(cluster.micTrust(MicTrustStore.CALLMANAGER_TRUST)).containsExactly(ca.root());
        // The root still anchors the intermediate the phone sends after its MIC; a MIC sent alone no longer chains.
        assertThat(register(MIC_PHONE, mic, new ConsoleLog("p", cluster.clock()))).isInstanceOf(RegistrationOutcome.Registered.class);
        refusedForTls(register(MIC_PHONE, new KeyMaterial(mic.privateKey(), mic.certificate()), new ConsoleLog("p", cluster.clock())));

        // Removing the root refuses it.
        assertThat(shell.run("set cert delete CallManager-trust " + root).refused()).isFalse();
        assertThat(cluster.micTrust(MicTrustStore.CALLMANAGER_TRUST)).isEmpty();
        assertThat(cluster.micTrust(MicTrustStore.CAPF_TRUST)).containsExactly(ca.root(), ca.intermediate());

        // The running registrar judges the next handshake without it: the MIC is refused, the LSC still registers.
        ConsoleLog log = new ConsoleLog("p", cluster.clock());
        refusedForTls(register(MIC_PHONE, mic, log));
        assertThat(log.contains("refused the registration: 403 Forbidden \"TLS authentication failure\"")).isTrue();
        assertThat(register(LSC_PHONE, lsc, new ConsoleLog("p", cluster.clock()))).isInstanceOf(RegistrationOutcome.Registered.class);

        // Importing the root again (the fix) lets the MIC in.
        Files.writeString(tmp.resolve("mic-root.pem"), PemFiles.toPem(ca.root()), StandardCharsets.US_ASCII);
        assertThat(shell.run("set cert import trust CallManager-trust mic-root.pem").refused()).isFalse();
        assertThat(register(MIC_PHONE, mic, new ConsoleLog("p", cluster.clock()))).isInstanceOf(RegistrationOutcome.Registered.class);
    }

    @Test
    void theCommandRefusesAnUnknownStoreOrName() {
        AdminShell shell = new AdminShell(cluster, "pub");
        AdminShell.Result unknownName = shell.run("set cert delete CallManager-trust nosuch.pem");
        assertThat(unknownName.refused()).isTrue();
        assertThat(unknownName.output()).contains("Certificate nosuch.pem not found in CallManager-trust")
                .contains("it holds: Cisco_Root_CA_M2.pem, Cisco_Manufacturing_CA_SHA2.pem");
        AdminShell.Result unknownStore = shell.run("set cert delete tomcat-trust x.pem");
        assertThat(unknownStore.refused()).isTrue();
        assertThat(unknownStore.output()).contains("Unknown trust unit tomcat-trust");
        assertThat(shell.run("set cert delete CallManager-trust").refused()).isTrue();
        assertThat(cluster.micTrust(MicTrustStore.CALLMANAGER_TRUST)).containsExactly(ca.root(), ca.intermediate());
    }
}
