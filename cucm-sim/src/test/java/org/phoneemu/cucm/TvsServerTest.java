package org.phoneemu.cucm;

import org.phoneemu.tls.client.TlsProfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * The TVS service: openssl sees the node's TVS certificate; VERIFY frames built by hand (docs/PROTOCOLS.md §1 bytes, not
 * the project's codec) get status 0 with roles and TTL for a cluster certificate and status 1 for anything else;
 * a malformed frame closes only its own connection.
 */
class TvsServerTest {
    @TempDir
    static Path dir;
    static Cluster cluster;
    static Node pub;
    static final List<ServiceLogLine> trace = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.build(TestClusters.twoNodes(), dir.resolve("state"), TestClusters.clock());
        cluster.onServiceLog(trace::add);
        cluster.start().get();
        pub = cluster.node("pub");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static SSLSocket connect(Node node) throws Exception {
        return TestTls.connect(node.tvsAddress());
    }

    /** 57 01 01 00 <session u32> <length u16>, then 01 <len> 01 "CP-…", then 02 <len> <DER>. */
    static byte[] verifyRequest(long session, String device, byte[] der) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        byte[] name = device.getBytes(StandardCharsets.US_ASCII);
        e.write(1);
        e.write((name.length + 1) >> 8);
        e.write(name.length + 1);
        e.write(1);
        e.writeBytes(name);
        e.write(2);
        e.write(der.length >> 8);
        e.write(der.length);
        e.writeBytes(der);
        byte[] elements = e.toByteArray();
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(new byte[] {0x57, 1, 1, 0, (byte) (session >> 24), (byte) (session >> 16), (byte) (session >> 8), (byte) session,
            (byte) (elements.length >> 8), (byte) elements.length});
        f.writeBytes(elements);
        return f.toByteArray();
    }

    /** A response: header fields and elements by type. */
    record Response(int command, long session, java.util.Map<Integer, byte[]> elements) {
    }

    static Response read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] h = new byte[10];
        d.readFully(h);
        assertThat(h[0]).isEqualTo((byte) 0x57);
        assertThat(h[1]).isEqualTo((byte) 1);
        long session = ((h[4] & 0xffL) << 24) | ((h[5] & 0xff) << 16) | ((h[6] & 0xff) << 8) | (h[7] & 0xff);
        int length = ((h[8] & 0xff) << 8) | (h[9] & 0xff);
        byte[] body = new byte[length];
        d.readFully(body);
        java.util.Map<Integer, byte[]> elements = new java.util.LinkedHashMap<>();
        for (int p = 0; p < length; ) {
            int type = body[p] & 0xff;
            int l = ((body[p + 1] & 0xff) << 8) | (body[p + 2] & 0xff);
            elements.put(type, java.util.Arrays.copyOfRange(body, p + 3, p + 3 + l));
            p += 3 + l;
        }
        return new Response(h[2], session, elements);
    }

    @Test
    void verifyAnswersFromTheClusterStore() throws Exception {
        X509Certificate tomcat = pub.certificate(CertificateUnit.TOMCAT);
        X509Certificate unknown = TestPki.rsa("C=US,O=rogue,CN=rogue.example", 1024, 16).certificate();
        try (SSLSocket s = connect(pub)) {
            X509Certificate presented = (X509Certificate) s.getSession().getPeerCertificates()[0];
            assertThat(presented).isEqualTo(pub.certificate(CertificateUnit.TVS));

            s.getOutputStream().write(verifyRequest(7, "CP-7970-SEP001122334455", tomcat.getEncoded()));
            Response ok = read(s.getInputStream());
            assertThat(ok.command()).isEqualTo(2);
            assertThat(ok.session()).isEqualTo(7);
            assertThat(ok.elements().get(7)).containsExactly(0);
            assertThat(ok.elements().get(8)).containsExactly(Role.APP_SERVER.code());
            assertThat(ok.elements().get(9)).containsExactly(0, 1, 0x51, 0x80); // 86400

            // Same connection, next request: the subscriber's CallManager certificate, known to every TVS.
            s.getOutputStream().write(verifyRequest(8, "CP-7970-SEP001122334455",
                    cluster.node("sub").certificate(CertificateUnit.CALLMANAGER).getEncoded()));
            Response cm = read(s.getInputStream());
            assertThat(cm.elements().get(7)).containsExactly(0);
            assertThat(cm.elements().get(8)).containsExactly(Role.CCM_TFTP.code());

            s.getOutputStream().write(verifyRequest(0xfffffffeL, "CP-7970-SEP001122334455", unknown.getEncoded()));
            Response bad = read(s.getInputStream());
            assertThat(bad.session()).isEqualTo(0xfffffffeL);
            assertThat(bad.elements().get(7)).containsExactly(1);
            assertThat(bad.elements()).doesNotContainKeys(8, 9);
        }
        List<String> lines = trace.stream().map(ServiceLogLine::text).toList();
        assertThat(lines).contains("     MsgType                : TVS_MSG_CERT_VERIFICATION_REQ",
                "CertificateDBCACHE::getCertificateInformation - Certificate compare return =0",
                "CertificateDBCACHE::getCertificateInformation - Certificate found and equal",
                "     MsgType                : TVS_MSG_CERT_VERIFICATION_RES",
                "TLS HS Done for ph_conn .");
        String issuer = "CN=pub.lab.example;OU=tac;O=cisco;L=rtp;ST=nc;C=US";
        assertThat(lines).contains("tvsGetIssuerNameFromX509 - issuerName : " + issuer + " and Length: " + issuer.length());
        assertThat(trace.get(trace.size() - 1).toString()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| debug .*");

        // As on CUCM, the lines are in the service's trace file in the cluster's state folder, stamped as above.
        Path file = cluster.traceFile("pub", ClusterService.TVS);
        assertThat(file).isEqualTo(dir.resolve("state").resolve("trace").resolve("pub").resolve("tvs.txt"));
        List<String> written = java.nio.file.Files.readAllLines(file);
        assertThat(written).allSatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| debug .*"));
        assertThat(written).anySatisfy(l -> assertThat(l).contains("tvsSSLHandShake Session ciphers - "))
                .anySatisfy(l -> assertThat(l).endsWith("| debug      MsgType                : TVS_MSG_CERT_VERIFICATION_REQ"))
                .anySatisfy(l -> assertThat(l).endsWith("| debug CertificateDBCACHE::getCertificateInformation - Certificate found and equal"));
    }

    @Test
    void verifyOfACertificateWhoseIssuerIsNotUtf8IsAnsweredStatus1() throws Exception {
        X509Certificate odd = TestPki.invalidUtf8Name(1024).certificate();
        try (SSLSocket s = connect(pub)) {
            s.getOutputStream().write(verifyRequest(11, "CP-7970-SEP001122334455", odd.getEncoded()));
            Response r = read(s.getInputStream());
            assertThat(r.command()).isEqualTo(2);
            assertThat(r.session()).isEqualTo(11);
            assertThat(r.elements().get(7)).containsExactly(1);
            // The connection stays usable.
            s.getOutputStream().write(verifyRequest(12, "CP-7970-SEP001122334455", pub.certificate(CertificateUnit.TVS).getEncoded()));
            assertThat(read(s.getInputStream()).elements().get(7)).containsExactly(0);
        }
    }

    @Test
    void aRegeneratedTvsCertificateIsPresentedToTheNextConnection() throws Exception {
        X509Certificate before;
        try (SSLSocket s = connect(cluster.node("sub"))) {
            before = (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
        cluster.admin("sub").regenerateCertificate(CertificateUnit.TVS);
        try (SSLSocket s = connect(cluster.node("sub"))) {
            X509Certificate after = (X509Certificate) s.getSession().getPeerCertificates()[0];
            assertThat(after).isNotEqualTo(before).isEqualTo(cluster.node("sub").certificate(CertificateUnit.TVS));
            // The old certificate is no longer in the store.
            s.getOutputStream().write(verifyRequest(1, "CP-7970-SEP001122334455", before.getEncoded()));
            assertThat(read(s.getInputStream()).elements().get(7)).containsExactly(1);
        }
    }

    @Test
    void malformedFramesCloseOnlyTheirConnection() throws Exception {
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[] {0x42, 1, 1, 0, 0, 0, 0, 1, 0, 0});                   // wrong protocol id
        bad.add(new byte[] {0x57, 1, 9, 0, 0, 0, 0, 1, 0, 0});                   // unknown command
        bad.add(new byte[] {0x57, 1, 1, 0, 0, 0, 0, 1, 0, 5, 2, 0, 9, 1, 2});    // element longer than the frame
        bad.add(new byte[] {0x57, 1, 1, 0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff}); // 64 KB frame
        for (byte[] frame : bad) {
            try (SSLSocket s = connect(pub)) {
                s.getOutputStream().write(frame);
                s.getOutputStream().flush();
                assertThat(s.getInputStream().read()).as("the server hangs up").isEqualTo(-1);
            } catch (EOFException | javax.net.ssl.SSLException closed) {
                // also a hang-up
            }
        }
        assertThat(trace).anyMatch(l -> l.text().contains("malformed TVS frame"));
        try (SSLSocket s = connect(pub)) {
            s.getOutputStream().write(verifyRequest(3, "CP-7970-SEP001122334455", pub.certificate(CertificateUnit.TVS).getEncoded()));
            Response ok = read(s.getInputStream());
            assertThat(ok.elements().get(7)).containsExactly(0);
            assertThat(ok.elements().get(8)).containsExactly(Role.TVS.code());
        }
    }

    @Test
    void queryReturnsAKnownCertificateByIssuerAndSerial() throws Exception {
        X509Certificate capfSigned = cluster.node("sub").certificate(CertificateUnit.ITLRECOVERY);
        byte[] issuer = "CN=ITLRECOVERY_sub.lab.example;OU=tac;O=cisco;L=rtp;ST=nc;C=US".getBytes(StandardCharsets.US_ASCII);
        byte[] serial = org.phoneemu.core.pki.Certificates.serialBytes(capfSigned.getSerialNumber());
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        e.writeBytes(new byte[] {4, 0, (byte) issuer.length});
        e.writeBytes(issuer);
        e.writeBytes(new byte[] {5, 0, (byte) serial.length});
        e.writeBytes(serial);
        byte[] elements = e.toByteArray();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(new byte[] {0x57, 1, 3, 0, 0, 0, 0, 9, 0, (byte) elements.length});
        frame.writeBytes(elements);
        try (SSLSocket s = connect(pub)) {
            s.getOutputStream().write(frame.toByteArray());
            Response r = read(s.getInputStream());
            assertThat(r.command()).isEqualTo(4);
            assertThat(r.elements().get(7)).containsExactly(0);
            assertThat(r.elements().get(2)).isEqualTo(capfSigned.getEncoded());
            serial[serial.length - 1] ^= 1;
            ByteArrayOutputStream miss = new ByteArrayOutputStream();
            miss.writeBytes(new byte[] {0x57, 1, 3, 0, 0, 0, 0, 10, 0, (byte) elements.length});
            miss.writeBytes(java.util.Arrays.copyOf(elements, elements.length - serial.length));
            miss.writeBytes(serial);
            s.getOutputStream().write(miss.toByteArray());
            Response none = read(s.getInputStream());
            assertThat(none.elements().get(7)).containsExactly(1);
            assertThat(none.elements()).doesNotContainKey(2);
        }
    }

    @Test
    void opensslSeesTheTvsCertificate() throws Exception {
        ExternalTools.require("openssl");
        ExternalTools.Result r = ExternalTools.run(List.of("openssl", "s_client", "-connect",
                pub.address().getHostAddress() + ":" + pub.tvsPort(), "-showcerts"), new byte[0], 30);
        String pem = r.output().substring(r.output().indexOf("-----BEGIN CERTIFICATE-----"),
                r.output().indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length());
        X509Certificate seen = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(seen).isEqualTo(cluster.node("pub").certificate(CertificateUnit.TVS));
        assertThat(r.output()).contains("CN = pub.lab.example");
    }

    @Test
    void aPhoneOfThe79xxEraGetsAes256ShaOnTls12AndTheTraceNamesItAsTheSeedDoes() throws Exception {
        TlsProfile old = TlsProfile.forDeviceName("CP-7970-SEP001122334455");
        assertThat(old).isEqualTo(TlsProfile.TLS12_AES256_SHA);
        assertThat(TlsProfile.forDeviceName("CP-8845-SEP001122334455")).isEqualTo(TlsProfile.CURRENT);
        try (SSLSocket s = TestTls.connect(pub.tvsAddress(), old.protocols(), old.ciphers())) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(s.getSession().getCipherSuite()).isEqualTo("TLS_RSA_WITH_AES_256_CBC_SHA");
            // a whole exchange: the handshake's trace line was written before the answer
            s.getOutputStream().write(verifyRequest(9, "CP-7970-SEP001122334455", pub.certificate(CertificateUnit.TOMCAT).getEncoded()));
            read(s.getInputStream());
        }
        assertThat(trace).anySatisfy(l -> assertThat(l.text()).endsWith(": tvsSSLHandShake Session ciphers - AES256-SHA"));
    }

    /**
     * A certificate of the cluster's own store past its end date on the cluster's clock is answered as any certificate
     * TVS cannot vouch for: status 1, no roles, no TTL (docs/TRUST-RULES.md §12 rule 7); before that date, status 0.
     */
    @Test
    void anExpiredCertificateOfTheStoreIsNotVouchedFor(@TempDir Path state) throws Exception {
        String yaml = TestClusters.oneNode().replace("- {hostname: solo, address: 127.0.0.1}",
                "- {hostname: solo, address: 127.0.0.1, certificates: {tomcat: {validDays: 2}}}");
        org.phoneemu.core.clock.VirtualClock clock = TestClusters.clock();
        List<ServiceLogLine> lines = new CopyOnWriteArrayList<>();
        try (Cluster c = TestClusters.build(yaml, state, clock)) {
            c.onServiceLog(lines::add);
            c.start().get();
            Node solo = c.node("solo");
            X509Certificate tomcat = solo.certificate(CertificateUnit.TOMCAT);
            try (SSLSocket s = connect(solo)) {
                s.getOutputStream().write(verifyRequest(1, "CP-7970-SEP001122334455", tomcat.getEncoded()));
                assertThat(read(s.getInputStream()).elements().get(7)).containsExactly(0);
            }
            clock.advance(java.time.Duration.ofDays(3));
            try (SSLSocket s = connect(solo)) {
                s.getOutputStream().write(verifyRequest(2, "CP-7970-SEP001122334455", tomcat.getEncoded()));
                Response r = read(s.getInputStream());
                assertThat(r.session()).isEqualTo(2);
                assertThat(r.elements().get(7)).containsExactly(1);
                assertThat(r.elements()).doesNotContainKeys(8, 9);
            }
            assertThat(lines.stream().map(ServiceLogLine::text)).contains("CertificateDBCACHE::getCertificateInformation - "
                    + "Certificate found and equal but expired on " + tomcat.getNotAfter().toInstant());
        }
    }
}
