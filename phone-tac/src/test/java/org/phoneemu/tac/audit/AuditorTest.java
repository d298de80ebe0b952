package org.phoneemu.tac.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.NodeFiles;
import org.phoneemu.tac.served.ServedCluster;

/** The audit's findings on what the simulated cluster serves, and on files changed to show each problem. */
class AuditorTest {
    static final Instant NOW = Instant.parse("2026-01-01T09:00:00Z");
    static final Path ONE_NODE = Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml");
    static final Device PHONE = new Device("001122334455", "7970");

    private static AuditReport audit(ServedCluster served, Instant at) throws Exception {
        return Auditor.audit(served, Optional.empty(), new AuditOptions(at, Duration.ofDays(90)));
    }

    private static ServedCluster served(Path tmp, String name) throws Exception {
        try (ClusterCopy c = ClusterCopy.open(ONE_NODE, tmp.resolve(name), new VirtualClock(NOW))) {
            return c.served(List.of(PHONE));
        }
    }

    @Test
    void theSimulatedClusterHasARecoveryRecordAndServesPlaintextConfigsNextToSignedOnes(@TempDir Path tmp) throws Exception {
        AuditReport r = audit(served(tmp, "state"), NOW);
        assertThat(r.trustLists()).singleElement().satisfies(l -> {
            assertThat(l.kind()).isEqualTo("ITL");
            assertThat(l.recoveryRecord()).isTrue();
            assertThat(l.signedBy()).isEqualTo("CallManager");
            assertThat(l.tvsRecords()).isEqualTo(1);
        });
        assertThat(r.findings()).extracting(Finding::check).contains("plaintext-config", "tvs-single", "key-size")
                .doesNotContain("itl-recovery", "expired", "config-signer");
        assertThat(r.failsAt(Severity.HIGH)).isFalse();
        assertThat(r.failsAt(Severity.MEDIUM)).isTrue();
    }

    @Test
    void expiredAndExpiringCertificatesAreFound(@TempDir Path tmp) throws Exception {
        ServedCluster s = served(tmp, "state");
        // The simulated certificates are valid for years: judge them far in the future, then just before they end.
        AuditReport later = audit(s, NOW.plus(Duration.ofDays(365 * 40)));
        assertThat(later.findings()).filteredOn(f -> f.check().equals("expired")).isNotEmpty()
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.HIGH))
                // each finding points at the scenarios that show what renewing does to the phones
                .allSatisfy(f -> assertThat(f.text()).contains("(scenario s26)", "(s27)"));
        // and at what leaving it to expire does: CallManager (s29, documented), ITLRecovery (s30, assumed)
        assertThat(later.findings()).filteredOn(f -> f.check().equals("expired"))
                .anySatisfy(f -> assertThat(f.text()).contains("CN=cucmpub").contains("(s29)"))
                .anySatisfy(f -> assertThat(f.text()).contains("CN=ITLRECOVERY_").contains("(s30, assumed)"));
        assertThat(later.failsAt(Severity.HIGH)).isTrue();
    }

    @Test
    void anItlWithoutRecoveryRecordIsHighAndAConfigSignedByAnotherClusterIsHigh(@TempDir Path tmp) throws Exception {
        KeyMaterial cm = TestPki.rsa("CN=cm.example;OU=tac", 2048, 16);
        KeyMaterial tvs = TestPki.rsa("CN=tvs.example;OU=tac", 2048, 16);
        byte[] itl = new TrustListBuilder(TrustListKind.ITL).digest(DigestAlgorithm.SHA256).filename("ITLFile.tlv")
                .addCertificate(Role.SAST, cm.certificate()).addCertificate(Role.CCM_TFTP, cm.certificate())
                .addCertificate(Role.TVS, tvs.certificate()).build(cm);
        // The config of a real (simulated) cluster, whose signer this ITL does not list.
        byte[] config = served(tmp, "other").firstNode().get("SEP001122334455.cnf.xml.sgn").orElseThrow();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("ITLFile.tlv", itl);
        files.put("SEP001122334455.cnf.xml.sgn", config);
        ServedCluster s = new ServedCluster("test", List.of(new NodeFiles("n1", "127.0.0.1", files)), List.of(PHONE), Optional.empty());
        AuditReport r = audit(s, NOW);
        assertThat(r.findings()).filteredOn(f -> f.severity() == Severity.HIGH).extracting(Finding::check)
                .contains("itl-recovery", "config-signer");
        assertThat(r.findings()).extracting(Finding::check).doesNotContain("digest", "key-size");
        assertThat(r.trustLists().get(0).recoveryRecord()).isFalse();
    }

    @Test
    void aPlaintextConfigWithCredentialsIsHighWithoutIsMedium() throws Exception {
        byte[] secret = "<device><sshUserId>admin</sshUserId><sshPassword>cisco123</sshPassword></device>".getBytes(StandardCharsets.UTF_8);
        byte[] plain = "<device><sshPassword></sshPassword></device>".getBytes(StandardCharsets.UTF_8);
        assertThat(Auditor.credentials(secret)).containsExactly("sshPassword");
        assertThat(Auditor.credentials(plain)).isEmpty();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("SEP001122334455.cnf.xml", secret);
        files.put("SEP001122334455.cnf.xml.sgn", new byte[0]);
        files.put("XMLDefault.cnf.xml", plain);
        AuditReport r = audit(new ServedCluster("t", List.of(new NodeFiles("n1", "127.0.0.1", files)), List.of(PHONE), Optional.empty()), NOW);
        assertThat(r.findings()).filteredOn(f -> f.check().equals("plaintext-credentials"))
                .singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.HIGH));
        assertThat(r.findings()).filteredOn(f -> f.check().equals("xmldefault")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.LOW));
        assertThat(r.findings()).extracting(Finding::check).contains("itl-missing", "config-malformed");
    }

    @Test
    void phonesWhoseFlashHoldsAnotherItlAreGroupedByMd5(@TempDir Path tmp) throws Exception {
        ServedCluster now = served(tmp, "state");
        byte[] old = served(tmp, "other").firstNode().get("ITLFile.tlv").orElseThrow();
        byte[] current = now.firstNode().get("ITLSEP001122334455.tlv").or(() -> now.firstNode().get("ITLFile.tlv")).orElseThrow();
        Path flash = tmp.resolve("fleet");
        Files.createDirectories(flash.resolve("phones/SEP001122334455"));
        Files.createDirectories(flash.resolve("phones/SEP001122334466"));
        Files.createDirectories(flash.resolve("phones/SEP001122334477"));
        Files.write(flash.resolve("phones/SEP001122334455/ITLFile.tlv"), current);
        Files.write(flash.resolve("phones/SEP001122334466/ITLFile.tlv"), old);
        Files.write(flash.resolve("phones/SEP001122334477/ITLFile.tlv"), old);
        AuditReport r = Auditor.audit(now, Optional.of(flash), new AuditOptions(NOW, Duration.ofDays(90)));
        assertThat(r.flash()).hasSize(2);
        assertThat(r.flash()).filteredOn(g -> g.differing() > 0).singleElement()
                .satisfies(g -> assertThat(g.phones()).containsExactly("SEP001122334466", "SEP001122334477"));
        assertThat(r.findings()).filteredOn(f -> f.check().equals("itl-mismatch")).singleElement()
                .satisfies(f -> assertThat(f.text()).startsWith("2 phone(s) hold ITL/CTL MD5"));
    }

    @Test
    void theJsonHasTheFindingsWithLowerCaseSeverities(@TempDir Path tmp) throws Exception {
        AuditReport r = audit(served(tmp, "state"), NOW);
        Path json = tmp.resolve("audit.json");
        r.writeJson(json);
        var tree = AuditReport.mapper().readTree(json.toFile());
        assertThat(tree.get("findings").size()).isEqualTo(r.findings().size());
        assertThat(tree.get("findings").get(0).get("severity").asText()).isEqualTo("medium");
        assertThat(tree.get("trustLists").get(0).get("md5").asText()).isEqualTo(r.trustLists().get(0).md5());
    }
}
