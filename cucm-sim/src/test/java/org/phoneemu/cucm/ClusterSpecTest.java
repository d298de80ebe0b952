package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.pki.CertificateUnit;

/** Cluster files: the shipped ones load, mistakes are reported with the key that is wrong. */
class ClusterSpecTest {
    static Path clusters() {
        return Vectors.root().getParent().resolve("config/clusters");
    }

    @Test
    void shippedClusterFilesLoad() throws Exception {
        ClusterSpec lab = ClusterSpec.load(clusters().resolve("default.yaml"));
        assertThat(lab.publisher().hostname()).isEqualTo("cucmpub");
        assertThat(lab.nodes()).hasSize(2);
        assertThat(lab.groups()).singleElement().satisfies(g -> assertThat(g.members()).containsExactly("cucmpub", "cucmsub"));
        assertThat(lab.publisher().tftpPort()).isEqualTo(6969);
        assertThat(lab.publisher().tvsPort()).isEqualTo(2445);
        assertThat(lab.publisher().httpsPort()).isEqualTo(8443);
        assertThat(lab.device("SEP001122334477").orElseThrow().encryption()).isTrue();
        assertThat(lab.device("001122334466").orElseThrow().vendorConfig()).containsEntry("settingsAccess", "0").containsEntry("webAccess", "1");

        ClusterSpec seed = ClusterSpec.load(clusters().resolve("seed-test10.yaml"));
        assertThat(seed.domain()).isEqualTo("joemar2.lab");
        assertThat(seed.nameStyle()).isEqualTo(NameStyle.CUCM);
        assertThat(seed.digest()).isEqualTo(DigestAlgorithm.SHA1);
        assertThat(seed.itlTftpRole()).isEqualTo(Role.TFTP);
        assertThat(seed.keySize(seed.publisher(), CertificateUnit.CALLMANAGER)).isEqualTo(1024);
        assertThat(seed.keySize(seed.node("test10sub").orElseThrow(), CertificateUnit.TVS)).isEqualTo(2048);
        assertThat(seed.keySize("CAPF")).isEqualTo(1024);
    }

    @Test
    void defaultsAreCucms() throws Exception {
        ClusterSpec s = ClusterSpec.parse("nodes: [{hostname: one}]", null);
        assertThat(s.publisher().address().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(s.publisher().tftpPort()).isEqualTo(6969);
        assertThat(s.tvsTtl().toSeconds()).isEqualTo(86400);
        assertThat(s.holdTimer().toMinutes()).isEqualTo(5);
        assertThat(s.groups()).singleElement().satisfies(g -> assertThat(g.members()).containsExactly("one"));
        assertThat(s.subject()).containsKeys("OU", "O", "L", "ST", "C");
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: one, colour: red}]", null))
                .isInstanceOf(ClusterSpecException.class).hasMessageContaining("unknown key 'nodes[0].colour'");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: one}]\ndevices: [{mac: 12345}]", null))
                .hasMessageContaining("devices[0].mac");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: one}]\ndevices: [{mac: '001122334455', encryption: true}]", null))
                .hasMessageContaining("encryption on but no LSC");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: one.example.com}]", null))
                .hasMessageContaining("not a host name");
        assertThatThrownBy(() -> ClusterSpec.parse("cluster: {keySizes: {TVS: 1536}}\nnodes: [{hostname: one}]", null))
                .hasMessageContaining("1024, 2048 or 4096");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a, address: 127.0.0.5}, {hostname: b, address: 127.0.0.5}]", null))
                .hasMessageContaining("each node needs its own loopback address");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a}]\ngroups: [{name: G, members: [zz]}]", null))
                .hasMessageContaining("'zz', which is not a node");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: []", null)).hasMessageContaining("at least one node");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a, ports: {tftp: 70000}}]", null)).hasMessageContaining("not a port");
        assertThatThrownBy(() -> ClusterSpec.parse("a: [unclosed", null)).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a, certificates: {CallManager: {validDays: 0}}}]", null))
                .hasMessageContaining("nodes[0].certificates.CallManager.validDays must be 1..");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a, certificates: {CAPF: {validDays: 9}}}]", null))
                .hasMessageContaining("nodes[0].certificates.CAPF is not a certificate unit");
        assertThatThrownBy(() -> ClusterSpec.parse("nodes: [{hostname: a, certificates: {TVS: {notAfter: 2027}}}]", null))
                .hasMessageContaining("unknown key 'nodes[0].certificates.TVS.notAfter'");
    }

    @Test
    void aCertificatesValidityIsReadPerNodeAndUnit() throws Exception {
        ClusterSpec s = ClusterSpec.parse("nodes: [{hostname: a, certificates: {CallManager: {validDays: 30}, itlrecovery: {validDays: 7300}}}]", null);
        assertThat(s.publisher().validity()).containsEntry(CertificateUnit.CALLMANAGER, java.time.Duration.ofDays(30))
                .containsEntry(CertificateUnit.ITLRECOVERY, java.time.Duration.ofDays(7300)).doesNotContainKey(CertificateUnit.TVS);
    }

    @Test
    void issuedCertificatesCarryTheFilesValidityAndARegeneratedOneTheFullFiveYears(@org.junit.jupiter.api.io.TempDir Path state)
            throws Exception {
        org.phoneemu.core.clock.VirtualClock clock = TestClusters.clock();
        String yaml = TestClusters.oneNode().replace("{hostname: solo, address: 127.0.0.1}",
                "{hostname: solo, address: 127.0.0.1, certificates: {CallManager: {validDays: 30}}}");
        try (Cluster c = Cluster.builder().spec(TestClusters.spec(yaml)).stateDirectory(state).clock(clock).mirrorFiles(false).build()) {
            NodeAdmin solo = c.admin("solo");
            java.time.Instant start = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            assertThat(solo.certificate(CertificateUnit.CALLMANAGER).getNotAfter().toInstant()).isEqualTo(start.plus(java.time.Duration.ofDays(30)));
            assertThat(solo.certificate(CertificateUnit.TVS).getNotAfter().toInstant())
                    .isEqualTo(start.plus(java.time.Duration.ofDays(org.phoneemu.cucm.pki.CertificateIssuer.VALIDITY_DAYS)));

            java.time.Instant later = clock.advance(java.time.Duration.ofDays(31)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            solo.regenerateCertificate(CertificateUnit.CALLMANAGER);
            assertThat(solo.certificate(CertificateUnit.CALLMANAGER).getNotAfter().toInstant())
                    .isEqualTo(later.plus(java.time.Duration.ofDays(org.phoneemu.cucm.pki.CertificateIssuer.VALIDITY_DAYS)));
        }
    }
}
