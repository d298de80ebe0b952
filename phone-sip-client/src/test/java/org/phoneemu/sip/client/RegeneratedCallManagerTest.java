package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.RegistrationPolicy;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * {@code set cert regen CallManager} in the admin shell re-keys the node's SIP-TLS listener: the next handshake on 5061
 * presents the new certificate, and a phone whose CTL still holds the old one refuses it before any REGISTER.
 */
class RegeneratedCallManagerTest {
    static final String MAC = "0011223344F1";
    static final String YAML = """
            cluster:
              name: regen
              domain: lab.example
              keySizes: {default: 1024}
              mixedMode: true
              ports: {tftp: 0, tvs: 0, https: 0}
            nodes:
              - {hostname: pub, address: 127.0.0.1}
            groups:
              - {name: G1, members: [pub]}
            devices:
              - {mac: "%s", model: 7970, group: G1, lsc: true, securityMode: 3}
            """.formatted(MAC);

    @TempDir
    Path state;

    @Test
    void regeneratingCallManagerReKeysTheTlsListenerAndAPhoneWithTheOldCtlSendsNothing() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (Cluster cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(state)
                .clock(new VirtualClock(java.time.Instant.now())).freshState(true).mirrorFiles(false).eventLoopGroup(group).build()) {
            cluster.start().get(60, TimeUnit.SECONDS);
            InetSocketAddress sips = cluster.sipAddress("pub", SipTransport.TLS).orElseThrow();
            X509Certificate old = cluster.admin("pub").certificate(CertificateUnit.CALLMANAGER);
            assertThat(presentedOn(sips)).isEqualTo(old);
            InstalledTrust ctl = new InstalledTrust(Optional.of(TrustList.parse(cluster.file("pub", "CTLFile.tlv").orElseThrow(), TrustListKind.CTL)),
                    Optional.empty());
            List<CallManagerTarget> targets = RegistrationPolicy.targets(
                    PhoneConfigParser.parse(cluster.file("pub", "SEP" + MAC + ".cnf.xml").orElseThrow()).callManagers(), SipTransport.TLS);
            List<String> registers = new CopyOnWriteArrayList<>();
            List<String> deadlines = new CopyOnWriteArrayList<>();
            var listening = cluster.onServiceLog(l -> {
                if (l.text().startsWith("SIP REGISTER")) {
                    registers.add(l.text());
                }
                if (l.text().contains("no request within")) {
                    deadlines.add(l.text());
                }
            });
            SipRegistrationClient client = new SipRegistrationClient(group, SipClientOptions.DEFAULTS, cluster.clock(),
                    name -> java.util.concurrent.CompletableFuture.completedFuture((java.net.Inet4Address) cluster.publisher().address()));
            try {
                assertThat(register(client, cluster, targets, ctl, new ConsoleLog("phone", cluster.clock())))
                        .isInstanceOf(RegistrationOutcome.Registered.class);

                // A connection open before the regenerate (a phone's kept connection) is dropped by it, as CUCM's
                // service restart drops every connection: nothing renews over the old key.
                SSLSocket kept = handshaken(sips);
                assertThat(kept.getSession().getPeerCertificates()[0]).isEqualTo(old);

                AdminShell.Result regen = new AdminShell(cluster, "pub").run("set cert regen CallManager");
                assertThat(regen.refused()).as(regen.output()).isFalse();
                assertThat(regen.output()).contains("Successfully Regenerated Certificate for CallManager.");
                X509Certificate renewed = cluster.admin("pub").certificate(CertificateUnit.CALLMANAGER);
                assertThat(renewed).isNotEqualTo(old);
                assertThat(presentedOn(sips)).as("the next handshake on 5061").isEqualTo(renewed);
                assertThat(closedByPeer(kept)).as("the connection open before the regenerate").isTrue();
                assertThat(deadlines).as("closed by the regenerate, not by the registrar's request deadline").isEmpty();

                int before = registers.size();
                ConsoleLog log = new ConsoleLog("phone", cluster.clock());
                RegistrationOutcome refused = register(client, cluster, targets, ctl, log);
                assertThat(refused).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                        .extracting(RegistrationOutcome.Attempt::failure).containsOnly(RegistrationOutcome.AttemptFailure.UNTRUSTED_CERTIFICATE));
                assertThat(log.contains("which is not a CallManager record of the phone's trust list: nothing sent")).isTrue();
                // The registrar traces every REGISTER it reads: none arrived after the handshake was refused.
                assertThat(presentedOn(sips)).isEqualTo(renewed); // a full round trip after the phone's close
                assertThat(registers).hasSize(before);
            } finally {
                listening.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static RegistrationOutcome register(SipRegistrationClient client, Cluster cluster, List<CallManagerTarget> targets, InstalledTrust ctl,
                                        ConsoleLog log) throws Exception {
        return client.register(new SipRegistrationClient.Request(targets, new RegisterIdentity(new Mac(MAC), new PhoneModel("7970"), "9.4.2"),
                cluster.deviceLsc(MAC), c -> SipServerTrust.isTrustedCallManager(ctl, c), log)).get(30, TimeUnit.SECONDS);
    }

    /** The certificate the listener presents to a new handshake (JDK client, any server certificate accepted to look at it). */
    static X509Certificate presentedOn(InetSocketAddress address) throws Exception {
        try (SSLSocket s = handshaken(address)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    /**
     * Whether the server closed {@code s}: a read returns the end of the stream (or the connection is reset). The read
     * waits for that event; the socket timeout only bounds a server that never closes (then: false).
     */
    static boolean closedByPeer(SSLSocket s) throws Exception {
        try (s) {
            s.setSoTimeout(60_000);
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** A JDK TLS connection to {@code address}, handshaken (any server certificate accepted). */
    static SSLSocket handshaken(InetSocketAddress address) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }
}
