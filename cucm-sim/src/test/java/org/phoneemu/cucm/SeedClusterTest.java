package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * config/clusters/seed-test10.yaml rebuilds the ITL that seed 004's {@code show itl} prints on test10pub: header
 * 324, records 1115/1115/439/455/1141/713, 5302 bytes; after {@code utils itl reset localkey} header 344 and
 * 5322 bytes, signed by the ITLRECOVERY record (docs/FORMATS.md §2, "Worked example").
 */
class SeedClusterTest {
    @TempDir
    static Path state;
    static Cluster cluster;
    static VirtualClock clock;

    @BeforeAll
    static void build() throws Exception {
        clock = TestClusters.clock();
        Path file = Vectors.root().getParent().resolve("config/clusters/seed-test10.yaml");
        cluster = Cluster.builder().config(file).stateDirectory(state).clock(clock).mirrorFiles(false).build();
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    @Test
    void publisherItlHasTheSeedLayout() throws Exception {
        TrustList itl = TrustList.parse(cluster.file("test10pub", "ITLFile.tlv").orElseThrow());
        assertThat(itl.file().headerLength()).isEqualTo(324);
        assertThat(itl.records()).extracting(TrustRecord::length).containsExactly(1115, 1115, 439, 455, 1141, 713);
        assertThat(itl.file().length()).isEqualTo(5302);
        assertThat(itl.records()).extracting(TrustRecord::roleName)
                .containsExactly("System Administrator Security Token", "TFTP", "CAPF", "TVS", "System Administrator Security Token", "TVS");
        assertThat(itl.verifiesItself()).isTrue();
        assertThat(itl.signerRecord()).map(TrustRecord::index).contains(1);

        String show = cluster.admin("test10pub").showItl();
        assertThat(show.lines()).contains(
                "Length of ITL file: 5302",
                "The ITL File was last modified on Wed Feb 26 10:24:27 PST 2014",
                "HeaderLength: 324 (BYTES)",
                "3 SIGNERID 2 139",
                "4 SIGNERNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US",
                "3 SUBJECTNAME 49 CN=CAPF-75638ad9;OU=tac;O=cisco;L=rtp;ST=nc;C=US",
                "3 SUBJECTNAME 57 CN=test10sub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US",
                "This etoken was used to sign the ITL file.",
                "This etoken was not used to sign the ITL file.",
                "The ITL file was verified successfully.");
        assertThat(show.lines().filter(l -> l.startsWith("9 CERTIFICATE 684 "))).hasSize(2);
        assertThat(show.lines().filter(l -> l.startsWith("9 CERTIFICATE 692 "))).hasSize(1);
    }

    @Test
    void afterItlResetTheSignerIsItlRecovery() throws Exception {
        List<String> hosts = cluster.admin("test10pub").resetItlLocalKey();
        assertThat(hosts).containsExactly("test10pub", "test10sub");
        for (String node : hosts) {
            TrustList itl = TrustList.parse(cluster.file(node, "ITLFile.tlv").orElseThrow());
            assertThat(itl.file().headerLength()).isEqualTo(344);
            assertThat(itl.file().length()).isEqualTo(5322);
            assertThat(itl.signerRecord()).map(TrustRecord::index).contains(5);
            assertThat(itl.verifiesItself()).isTrue();
        }
        assertThat(cluster.admin("test10pub").showItl().lines()).contains("3 SIGNERID 2 157",
                "4 SIGNERNAME 66 CN=ITLRECOVERY_test10pub.joe2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US");
        cluster.admin("test10pub").restartService(ClusterService.TFTP);
        cluster.admin("test10sub").restartService(ClusterService.TFTP);
    }
}
