package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.cucm.pki.CertificateUnit;

/** What the TFTP nodes serve, read back with the phone's own parsers. */
class ClusterFilesTest {
    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void build() throws Exception {
        cluster = TestClusters.build(TestClusters.twoNodes(), dir.resolve("state"), TestClusters.clock());
        cluster.start().get();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aClusterThatIsNotRunningNamesTheServicesDefaultPortsNotEphemeralZero(@TempDir Path other) throws Exception {
        // cucm admin and predict build files without starting servers; a phone refuses port 0 in a config.
        try (Cluster idle = TestClusters.build(TestClusters.twoNodes(), other.resolve("state"), TestClusters.clock())) {
            PhoneConfig config = PhoneConfigParser.parse(idle.file("pub", "SEP001122334455.cnf.xml").orElseThrow());
            assertThat(config.tvsServers()).isNotEmpty().allSatisfy(t -> assertThat(t.port()).isEqualTo(2445));
        }
    }

    @Test
    void eachTftpNodeHasItsOwnItlInCucmOrder() throws Exception {
        TrustList pub = TrustList.parse(cluster.file("pub", "ITLFile.tlv").orElseThrow());
        TrustList sub = TrustList.parse(cluster.file("sub", "ITLFile.tlv").orElseThrow());
        for (TrustList l : List.of(pub, sub)) {
            assertThat(l.verifiesItself()).isTrue();
            assertThat(l.records()).extracting(TrustRecord::roleName)
                    .containsExactly("System Administrator Security Token", "CCM+TFTP", "CAPF", "TVS", "System Administrator Security Token", "TVS");
            assertThat(l.records().get(2).certHash()).isPresent();
            assertThat(l.records().get(4).subjectName()).startsWith("CN=ITLRECOVERY_pub.lab.example;");
        }
        assertThat(pub.records().get(3).matches(cluster.node("pub").certificate(CertificateUnit.TVS))).isTrue();
        assertThat(pub.records().get(5).matches(cluster.node("sub").certificate(CertificateUnit.TVS))).isTrue();
        assertThat(sub.records().get(0).certificate()).contains(cluster.node("sub").certificate(CertificateUnit.CALLMANAGER));
        assertThat(sub.records().get(3).matches(cluster.node("sub").certificate(CertificateUnit.TVS))).isTrue();
        // show itl: the checksums differ per node because each signs with its own CallManager key.
        String showPub = cluster.admin("pub").showItl();
        String showSub = cluster.admin("sub").showItl();
        assertThat(showPub.lines().skip(1).findFirst()).isNotEqualTo(showSub.lines().skip(1).findFirst());
        assertThat(showPub).startsWith("The checksum value of the ITL file:\n" + pub.file().md5Hex() + "(MD5)\n"
                + pub.file().sha1Hex() + "(SHA1)\n");
        assertThat(showPub).contains("The ITL File was last modified on Wed Feb 26 18:24:27 UTC 2014");
        // The per-device names carry the same bytes.
        assertThat(cluster.file("sub", "ITLSEP001122334455.tlv")).hasValueSatisfying(b -> assertThat(b).isEqualTo(sub.file().bytes()));
        assertThat(cluster.file("sub", "CTLFile.tlv")).isEmpty();
    }

    @Test
    void configurationCarriesTheGroupsTvsServersAndTheDeviceFlags() throws Exception {
        byte[] xml = cluster.file("sub", "SEP001122334455.cnf.xml").orElseThrow();
        PhoneConfig config = PhoneConfigParser.parse(xml);
        Node pub = cluster.node("pub");
        Node sub = cluster.node("sub");
        assertThat(config.tvsServers()).containsExactly(new TvsServerEntry(0, "127.0.0.1", pub.tvsPort()),
                new TvsServerEntry(1, "127.0.0.2", sub.tvsPort()));
        assertThat(config.callManagers()).extracting(c -> c.processNodeName()).containsExactly("pub.lab.example", "sub.lab.example");
        assertThat(config.vendorConfig().settingsAccessAllowed()).isFalse();
        assertThat(config.vendorConfig().webPageEnabled()).isFalse();
        assertThat(config.directoryUrl()).contains("https://127.0.0.1:" + pub.httpsPort() + "/ccmcip/xmldirectory.jsp");
        assertThat(config.deviceSecurityMode()).contains(1);
        assertThat(config.encrConfig()).isFalse();

        SignedFile sgn = SignedFile.parse(cluster.file("sub", "SEP001122334455.cnf.xml.sgn").orElseThrow());
        assertThat(sgn.body()).isEqualTo(xml);
        assertThat(sgn.filename()).contains("SEP001122334455.cnf.xml.sgn");
        X509Certificate subCm = sub.certificate(CertificateUnit.CALLMANAGER);
        assertThat(sgn.signer().serialNumber()).isEqualTo(subCm.getSerialNumber());
        assertThat(sgn.verifySignature(subCm.getPublicKey())).isTrue();
        assertThat(PhoneConfigParser.parse(cluster.file("pub", "XMLDefault.cnf.xml").orElseThrow()).tvsServers()).hasSize(2);
    }

    @Test
    void encryptedDevicesGetAStubAndAnEncSgnForTheirLsc() throws Exception {
        KeyMaterial lsc = cluster.deviceLsc("00:11:22:33:44:AA").orElseThrow();
        String capf = TrustList.parse(cluster.file("pub", "ITLFile.tlv").orElseThrow()).recordsWithRole(Role.CAPF).get(0).subjectName();
        assertThat(DistinguishedNames.sameName(capf, lsc.certificate().getIssuerX500Principal())).as("the CAPF issued the LSC").isTrue();
        assertThat(cluster.file("pub", "SEP0011223344AA.cnf.xml")).isEmpty();
        SignedFile stubFile = SignedFile.parse(cluster.file("pub", "SEP0011223344AA.cnf.xml.sgn").orElseThrow());
        PhoneConfig stub = PhoneConfigParser.parse(stubFile.body());
        assertThat(stub.isEncryptedStub()).isTrue();
        assertThat(stub.certHash()).contains(Certificates.md5Hex(lsc.certificate()));

        SignedFile enc = SignedFile.parse(cluster.file("pub", "SEP0011223344AA.cnf.xml.enc.sgn").orElseThrow());
        X509Certificate pubCm = cluster.node("pub").certificate(CertificateUnit.CALLMANAGER);
        assertThat(enc.verifySignature(pubCm.getPublicKey())).isTrue();
        byte[] plain = EncryptedConfig.decrypt(enc, lsc.privateKey());
        PhoneConfig full = PhoneConfigParser.parse(plain);
        assertThat(full.fullConfig()).isTrue();
        assertThat(full.deviceSecurityMode()).contains(3);
        assertThat(new String(plain, StandardCharsets.UTF_8)).contains("<TVS>");
    }

    @Test
    void anUnrelatedChangeKeepsTheItlBytesAndTimestamp() throws Exception {
        VirtualClock own = TestClusters.clock();
        try (Cluster c = TestClusters.build(TestClusters.twoNodes(), dir.resolve("own"), own)) {
            byte[] before = c.file("pub", "ITLFile.tlv").orElseThrow();
            own.advance(Duration.ofHours(1));
            c.admin("sub").regenerateCertificate(CertificateUnit.TOMCAT);
            assertThat(c.file("pub", "ITLFile.tlv").orElseThrow()).isEqualTo(before);
            assertThat(c.admin("pub").showItl()).contains("last modified on Wed Feb 26 18:24:27 UTC 2014");
            own.advance(Duration.ofMinutes(5));
            c.admin("sub").regenerateCertificate(CertificateUnit.TVS);
            assertThat(c.file("pub", "ITLFile.tlv").orElseThrow()).isNotEqualTo(before);
            assertThat(c.admin("pub").showItl()).contains("last modified on Wed Feb 26 19:29:27 UTC 2014");
        }
    }
}
