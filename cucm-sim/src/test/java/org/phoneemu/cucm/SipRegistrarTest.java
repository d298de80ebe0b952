package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.cucm.pki.CertificateUnit;

/** The simulated registrar on the wire (raw sockets, so the bytes CUCM's answers carry are checked as sent). */
class SipRegistrarTest {
    static final String PLAIN = "001122334455";
    static final String SECURE = "0011223344AA";

    @TempDir
    static Path state;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.build(TestClusters.twoNodes(), state, TestClusters.clock());
        cluster.start().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String register(String mac, String model, String transport) {
        return "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.9:50000;branch=z9hG4bK77\r\n"
                + "From: <sip:SEP" + mac + "@127.0.0.1>;tag=f1\r\n"
                + "To: <sip:SEP" + mac + "@127.0.0.1>\r\n"
                + "Call-ID: c1@127.0.0.9\r\n"
                + "CSeq: 101 REGISTER\r\n"
                + "Contact: <sip:u@127.0.0.9:50000;transport=" + transport.toLowerCase() + ">;+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-"
                + mac.toLowerCase() + ">\";+u.sip!devicename.ccm.cisco.com=\"SEP" + mac + "\";+u.sip!model.ccm.cisco.com=\"" + model + "\"\r\n"
                + "Expires: 3600\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends {@code request} and reads one response (up to the blank line; these answers have no body). */
    static String exchange(Socket s, String request) throws IOException {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            got.write(b);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    static Socket tcp() throws IOException {
        Socket s = new Socket();
        s.connect(cluster.sipAddress("pub", SipTransport.TCP).orElseThrow(), 5000);
        return s;
    }

    static SSLSocket tls(Optional<KeyMaterial> clientCertificate) throws Exception {
        return tls(clientCertificate, java.util.List.of());
    }

    /** As above, offering only {@code suites} over TLS 1.2 (empty: the JDK's defaults). */
    static SSLSocket tls(Optional<KeyMaterial> clientCertificate, java.util.List<String> suites) throws Exception {
        KeyManagerFactory kmf = null;
        if (clientCertificate.isPresent()) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("phone", clientCertificate.get().privateKey(), "x".toCharArray(),
                    new Certificate[] {clientCertificate.get().certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
        }
        SSLContext ctx = TestTls.context(kmf == null ? null : kmf.getKeyManagers());
        InetSocketAddress a = cluster.sipAddress("pub", SipTransport.TLS).orElseThrow();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(a.getAddress(), a.getPort());
        if (!suites.isEmpty()) {
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.setEnabledCipherSuites(suites.toArray(String[]::new));
        }
        s.startHandshake();
        return s;
    }

    @Test
    void aNonSecureDeviceRegistersOverTcpForCucmsKeepAliveInterval() throws Exception {
        try (Socket s = tcp()) {
            String answer = exchange(s, register(PLAIN, "30006", "TCP"));
            assertThat(answer).startsWith("SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.9:50000;branch=z9hG4bK77\r\n")
                    .contains("\r\nTo: <sip:SEP" + PLAIN + "@127.0.0.1>;tag=").contains("\r\nCall-ID: c1@127.0.0.9\r\n")
                    .contains("\r\nCSeq: 101 REGISTER\r\n").contains(";expires=120\r\n").contains("\r\nExpires: 120\r\n")
                    .endsWith("Content-Length: 0\r\n\r\n");
        }
        assertThat(cluster.sipRegistrations("pub")).anySatisfy(r -> {
            assertThat(r.deviceName()).isEqualTo("SEP" + PLAIN);
            assertThat(r.transport()).isEqualTo(SipTransport.TCP);
        });
    }

    @Test
    void aSecureDeviceOverTcpGetsCucmsSecurityMismatch() throws Exception {
        try (Socket s = tcp()) {
            assertThat(exchange(s, register(SECURE, "8841", "TCP"))).startsWith("SIP/2.0 403 Forbidden\r\n")
                    .contains("\r\nWarning: 399 pub \"Device security mismatch: expected TLS\"\r\n");
        }
    }

    @Test
    void unknownDevicesMissingNamesAndOtherMethodsAreRefused() throws Exception {
        try (Socket s = tcp()) {
            assertThat(exchange(s, register("00AA00AA00AA", "30006", "TCP"))).startsWith("SIP/2.0 404 Not Found\r\n");
            assertThat(exchange(s, register(PLAIN, "30006", "TCP").replace("+u.sip!devicename", "+x")))
                    .startsWith("SIP/2.0 400 Bad Request\r\n");
            assertThat(exchange(s, register(PLAIN, "30006", "TCP").replace("REGISTER sip:", "OPTIONS sip:")))
                    .startsWith("SIP/2.0 405 Method Not Allowed\r\n").contains("\r\nAllow: REGISTER, REFER\r\n");
        }
    }

    @Test
    void aHeaderOverTheLimitClosesTheConnectionWithoutAnAnswer() throws Exception {
        try (Socket s = tcp()) {
            assertThat(exchange(s, "REGISTER sip:127.0.0.1 SIP/2.0\r\nX: " + "a".repeat(9000))).isEmpty();
        }
    }

    @Test
    void overTlsTheNodesCallManagerCertificateIsPresentedAndTheClientCertificateJudged() throws Exception {
        KeyMaterial lsc = cluster.deviceLsc(SECURE).orElseThrow();
        try (SSLSocket s = tls(Optional.of(lsc))) {
            assertThat(s.getSession().getPeerCertificates()[0])
                    .isEqualTo(cluster.node("pub").certificate(CertificateUnit.CALLMANAGER));
            assertThat(exchange(s, register(SECURE, "8841", "TLS"))).startsWith("SIP/2.0 200 OK\r\n");
        }
        try (SSLSocket s = tls(Optional.empty())) {
            assertThat(exchange(s, register(SECURE, "8841", "TLS"))).startsWith("SIP/2.0 403 Forbidden\r\n")
                    .contains("\r\nWarning: 399 pub \"TLS authentication failure\"\r\n");
        }
        // The secure device's LSC presented for another device: CN is not that device's name.
        try (SSLSocket s = tls(Optional.of(lsc))) {
            assertThat(exchange(s, register(PLAIN, "30006", "TLS"))).contains("\"TLS authentication failure\"");
        }
    }

    @Test
    void anEncryptedDeviceOverANullSuiteGetsASecurityMismatch() throws Exception {
        KeyMaterial lsc = cluster.deviceLsc(SECURE).orElseThrow(); // securityMode 3 (encryption: true)
        try (SSLSocket s = tls(Optional.of(lsc), java.util.List.of(org.phoneemu.core.sip.SipTlsOffer.NULL_SHA))) {
            assertThat(org.phoneemu.core.sip.SipTlsOffer.ianaName(s.getSession().getCipherSuite()))
                    .isEqualTo(org.phoneemu.core.sip.SipTlsOffer.NULL_SHA);
            assertThat(exchange(s, register(SECURE, "8841", "TLS"))).startsWith("SIP/2.0 403 Forbidden\r\n")
                    .contains("\r\nWarning: 399 pub \"" + org.phoneemu.cucm.sip.RegistrarRules.ENCRYPTION_MISMATCH + "\"\r\n");
        }
    }

    @Test
    void sipPortsAndTheProfilesTransportComeFromTheClusterFile() throws ClusterSpecException {
        ClusterSpec s = ClusterSpec.parse("""
                cluster: {ports: {tftp: 0, tvs: 0, https: 0}}
                nodes: [{hostname: a}, {hostname: b, ports: {tftp: 0, tvs: 0, https: 0, sip: 5070, sips: 5071}}, {hostname: c, ports: {tftp: 69}}]
                devices:
                  - {mac: '001122334455', securityMode: 2}
                  - {mac: '001122334466', securityMode: 3, transport: tcp}
                  - {mac: '001122334477'}
                """, null);
        assertThat(s.nodes().get(0).sipPort()).isZero();
        assertThat(s.nodes().get(0).sipsPort()).isZero();
        assertThat(s.nodes().get(1).sipPort()).isEqualTo(5070);
        assertThat(s.nodes().get(1).sipsPort()).isEqualTo(5071);
        assertThat(s.nodes().get(2).sipPort()).isZero(); // tvs and https still 0 from the cluster: ephemeral follows
        assertThat(s.devices()).extracting(DeviceSpec::sipTransport)
                .containsExactly(SipTransport.TLS, SipTransport.TCP, SipTransport.TCP);
        assertThat(s.devices()).extracting(DeviceSpec::expectsTls).containsExactly(true, false, false);
        assertThat(ClusterSpec.parse("nodes: [{hostname: a}]", null).nodes().get(0).sipsPort()).isEqualTo(5061);
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a}]\ndevices: [{mac: '001122334455', transport: udp}]", null))
                .isInstanceOf(ClusterSpecException.class).hasMessageContaining("transport").hasMessageContaining("tcp or tls");
    }
}
