package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.pki.ManufacturingCa;
import org.phoneemu.core.store.ManufacturingCaStore;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.config.MicTrustStore;

/** Where the manufacturing root is: the cluster file's {@code manufacturingRoots}, then {@code set cert delete}, kept across restarts. */
class MicTrustStoresTest {
    static final String YAML = """
            cluster:
              name: roots
              keySizes: {default: 1024}
              ports: {tftp: 0, tvs: 0, https: 0}
              %s
            nodes:
              - {hostname: pub, address: 127.0.0.1}
            """;

    @TempDir
    Path tmp;

    Cluster cluster(String rootsLine, Path state, ManufacturingCa ca, boolean fresh) throws Exception {
        return Cluster.builder().spec(ClusterSpec.parse(YAML.formatted(rootsLine), null)).stateDirectory(state)
                .clock(TestClusters.clock()).freshState(fresh).mirrorFiles(false).manufacturingCa(ca).build();
    }

    @Test
    void theClusterFileSaysWhichStoresHoldTheRootAndADeletionSurvivesARestart() throws Exception {
        ManufacturingCa ca = ManufacturingCaStore.open(tmp.resolve("pool"));
        try (Cluster both = cluster("", tmp.resolve("both"), ca, true)) {
            assertThat(both.micTrust(MicTrustStore.CALLMANAGER_TRUST)).containsExactly(ca.root(), ca.intermediate());
            assertThat(both.micTrust(MicTrustStore.CAPF_TRUST)).containsExactly(ca.root(), ca.intermediate());
            both.admin().deleteTrustCertificate(MicTrustStore.CALLMANAGER_TRUST, "cisco_manufacturing_ca_sha2");
            assertThat(both.micTrust(MicTrustStore.CALLMANAGER_TRUST)).containsExactly(ca.root());
            both.admin().deleteTrustCertificate(MicTrustStore.CALLMANAGER_TRUST, "Cisco_Root_CA_M2.pem");
            assertThat(both.micTrust(MicTrustStore.CALLMANAGER_TRUST)).isEmpty();
        }
        try (Cluster restarted = cluster("", tmp.resolve("both"), ca, false)) {
            assertThat(restarted.micTrust(MicTrustStore.CALLMANAGER_TRUST)).isEmpty();
            assertThat(restarted.micTrust(MicTrustStore.CAPF_TRUST)).containsExactly(ca.root(), ca.intermediate());
        }
        try (Cluster capfOnly = cluster("manufacturingRoots: [CAPF-trust]", tmp.resolve("capf"), ca, true)) {
            assertThat(capfOnly.micTrust(MicTrustStore.CALLMANAGER_TRUST)).isEmpty();
            assertThat(capfOnly.micTrust(MicTrustStore.CAPF_TRUST)).containsExactly(ca.root(), ca.intermediate());
        }
        try (Cluster none = cluster("manufacturingRoots: []", tmp.resolve("none"), ca, true)) {
            assertThat(none.micTrust(MicTrustStore.CALLMANAGER_TRUST)).isEmpty();
            assertThat(none.micTrust(MicTrustStore.CAPF_TRUST)).isEmpty();
        }
    }

    @Test
    void anImportCountsOnlyInItsStoreAndNamesInAStoreAreUnique() throws Exception {
        ManufacturingCa ca = ManufacturingCaStore.open(tmp.resolve("pool"));
        ManufacturingCa webCa = ManufacturingCa.generate(); // the same CN as the manufacturing root
        ManufacturingCa otherCa = ManufacturingCa.generate();
        try (Cluster c = cluster("", tmp.resolve("state"), ca, true)) {
            c.admin().importTrustCertificate(webCa.root(), "tomcat-trust");
            c.admin().importTrustCertificate(otherCa.root(), "CallManager-trust");
            assertThat(c.micTrust(MicTrustStore.CALLMANAGER_TRUST)).containsExactly(ca.root(), ca.intermediate(), otherCa.root());
            assertThat(c.micTrust(MicTrustStore.CAPF_TRUST)).containsExactly(ca.root(), ca.intermediate());
            String third = "Cisco_Root_CA_M2_" + org.phoneemu.core.pki.Certificates.sha1Hex(otherCa.root()).substring(0, 8) + ".pem";
            assertThat(c.admin().trustFileNames(MicTrustStore.CALLMANAGER_TRUST))
                    .containsExactly("Cisco_Root_CA_M2.pem", "Cisco_Manufacturing_CA_SHA2.pem", third);
            assertThat(c.admin().deleteTrustCertificate(MicTrustStore.CALLMANAGER_TRUST, third)).containsExactly(otherCa.root());
            assertThat(c.micTrust(MicTrustStore.CALLMANAGER_TRUST)).containsExactly(ca.root(), ca.intermediate());
            c.admin().importTrustCertificate(otherCa.root(), "CAPF-trust");
        }
        try (Cluster restarted = cluster("", tmp.resolve("state"), ca, false)) {
            assertThat(restarted.micTrust(MicTrustStore.CALLMANAGER_TRUST)).containsExactly(ca.root(), ca.intermediate());
            assertThat(restarted.micTrust(MicTrustStore.CAPF_TRUST)).containsExactly(ca.root(), ca.intermediate(), otherCa.root());
        }
    }

    /**
     * {@code show cert list trust} and {@code own}: one {@code <unit>/<file>.pem: <description>} line per certificate,
     * the shape of CUCM's output; a deleted certificate leaves the list.
     */
    @Test
    void showCertListTrustAndOwnListTheStoresAndTheNodesCertificates() throws Exception {
        ManufacturingCa ca = ManufacturingCaStore.open(tmp.resolve("pool"));
        try (Cluster c = cluster("", tmp.resolve("list"), ca, true)) {
            AdminShell shell = new AdminShell(c, "pub");
            AdminShell.Result trust = shell.run("show cert list trust");
            assertThat(trust.refused()).as(trust.output()).isFalse();
            assertThat(trust.output().lines()).containsExactly(
                    "CallManager-trust/Cisco_Root_CA_M2.pem: Trust Certificate",
                    "CallManager-trust/Cisco_Manufacturing_CA_SHA2.pem: Trust Certificate",
                    "CAPF-trust/Cisco_Root_CA_M2.pem: Trust Certificate",
                    "CAPF-trust/Cisco_Manufacturing_CA_SHA2.pem: Trust Certificate");
            assertThat(shell.run("set cert delete CAPF-trust Cisco_Root_CA_M2.pem").refused()).isFalse();
            assertThat(shell.run("show cert list trust").output().lines()).containsExactly(
                    "CallManager-trust/Cisco_Root_CA_M2.pem: Trust Certificate",
                    "CallManager-trust/Cisco_Manufacturing_CA_SHA2.pem: Trust Certificate",
                    "CAPF-trust/Cisco_Manufacturing_CA_SHA2.pem: Trust Certificate");

            AdminShell.Result own = shell.run("show cert list own");
            assertThat(own.refused()).as(own.output()).isFalse();
            assertThat(own.output().lines()).contains(
                    "CallManager/CallManager.pem: Self-signed certificate generated by system",
                    "TVS/TVS.pem: Self-signed certificate generated by system",
                    "tomcat/tomcat.pem: Self-signed certificate generated by system",
                    "ITLRecovery/ITLRecovery.pem: Self-signed certificate generated by system",
                    "CAPF/CAPF.pem: Self-signed certificate generated by system");
            assertThat(shell.run("show cert list").refused()).isTrue();
            assertThat(shell.run("show cert list mine").refused()).isTrue();
        }
    }

    @Test
    void anUnknownStoreInTheClusterFileIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> ClusterSpec.parse(YAML.formatted("manufacturingRoots: [tomcat-trust]"), null))
                .isInstanceOf(ClusterSpecException.class)
                .hasMessageContaining("cluster.manufacturingRoots[0] names 'tomcat-trust'")
                .hasMessageContaining("CallManager-trust, CAPF-trust");
    }
}
