package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.cucm.tvs.CertificateStore;

/**
 * Two clusters sharing certificates for a migration: Bulk Certificate Management's export, consolidate and import,
 * and the by-hand download and import into a named trust store. What counts is what A's TVS then vouches for.
 */
class BulkCertificatesTest {
    @TempDir
    Path stateA;
    @TempDir
    Path stateB;
    @TempDir
    Path sftp;
    Cluster a;
    Cluster b;

    @BeforeEach
    void build() throws Exception {
        VirtualClock clock = TestClusters.clock();
        a = TestClusters.build(TestClusters.twoNodes(), stateA, clock);
        b = TestClusters.build(TestClusters.oneNode().replace("name: single", "name: other").replace("127.0.0.1", "127.0.0.12"),
                stateB, clock);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private AdminShell shell(Cluster c, String node) {
        return new AdminShell(c, node).workingDirectory(sftp);
    }

    private static boolean vouches(Cluster c, X509Certificate cert) {
        return c.tvsCertificateStore().lookup(cert) instanceof CertificateStore.Lookup.FoundEqual;
    }

    @Test
    void exportConsolidateImportMakesAsTvsVouchForBsTftpCertificatesButNotItsItlRecovery() {
        X509Certificate bCallManager = b.admin("solo").certificate(CertificateUnit.CALLMANAGER);
        X509Certificate bRecovery = b.admin("solo").certificate(CertificateUnit.ITLRECOVERY);
        assertThat(vouches(a, bCallManager)).isFalse();

        AdminShell.Result early = shell(a, "pub").run("utils bulkcert consolidate");
        assertThat(early.refused()).isTrue();
        assertThat(early.output()).contains("at least two clusters");

        assertThat(shell(b, "solo").run("utils bulkcert export").output())
                .contains("Successfully exported 1 TFTP certificate(s) of cluster other to other-tftp.pem.");
        assertThat(shell(a, "pub").run("utils bulkcert export").output()).contains("Successfully exported 2 TFTP certificate(s)");
        assertThat(shell(a, "pub").run("utils bulkcert consolidate").output())
                .contains("Successfully consolidated the certificates of 2 clusters (other, test) into consolidated-tftp.pem.");
        AdminShell.Result imported = shell(a, "pub").run("utils bulkcert import");
        assertThat(imported.refused()).isFalse();
        assertThat(imported.output()).contains("Successfully imported 1 certificate(s) into CallManager-trust and Phone-SAST-trust.");

        assertThat(vouches(a, bCallManager)).isTrue();
        assertThat(vouches(a, bRecovery)).as("the export carries no ITLRecovery certificate").isFalse();
    }

    @Test
    void bulkOperationsAreThePublishersAndImportNeedsAConsolidatedFile() {
        AdminShell.Result onSub = shell(a, "sub").run("utils bulkcert export");
        assertThat(onSub.refused()).isTrue();
        assertThat(onSub.output()).contains("This is not a Publisher Node");
        AdminShell.Result noFile = shell(a, "pub").run("utils bulkcert import");
        assertThat(noFile.refused()).isTrue();
        assertThat(noFile.output()).contains("No consolidated certificate file");
    }

    @Test
    void aCertificateDownloadedFromBAndImportedIntoATrustStoreIsVouchedForByA() throws Exception {
        AdminShell.Result got = shell(b, "solo").run("file get cert ITLRecovery");
        assertThat(got.output()).contains("Downloading file: solo-ITLRecovery.pem");
        X509Certificate bRecovery = b.admin("solo").certificate(CertificateUnit.ITLRECOVERY);
        assertThat(PemFile.read(sftp.resolve("solo-ITLRecovery.pem")).certificate()).isEqualTo(bRecovery);

        AdminShell.Result wrongStore = shell(a, "pub").run("set cert import trust Phone-trust solo-ITLRecovery.pem");
        assertThat(wrongStore.refused()).isTrue();
        assertThat(wrongStore.output()).contains("Unknown trust store Phone-trust (known: CallManager-trust, CAPF-trust, Phone-SAST-trust, tomcat-trust)");
        assertThat(vouches(a, bRecovery)).isFalse();

        AdminShell.Result ok = shell(a, "pub").run("set cert import trust CallManager-trust solo-ITLRecovery.pem");
        assertThat(ok.refused()).isFalse();
        assertThat(ok.output()).contains("Successfully imported certificate for CN=ITLRECOVERY_solo.lab.example")
                .contains("The certificate is in CallManager-trust");
        assertThat(vouches(a, bRecovery)).isTrue();
        assertThat(Files.list(stateA.resolve("trust")).count()).as("kept in the state folder").isEqualTo(1);
    }
}
