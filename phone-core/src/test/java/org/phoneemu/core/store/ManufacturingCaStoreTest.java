package org.phoneemu.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.io.internal.UnusableFileException;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.ManufacturingCa;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.testing.TestPki;

/** The manufacturing CA kept in a key pool folder: one CA per folder, whoever creates it first. */
class ManufacturingCaStoreTest {
    @TempDir
    Path tmp;

    /**
     * Two openers of one folder at once (as two processes would be: the in-process cache is keyed by path, so the
     * second goes through a symbolic link to the same folder) end with the same root, the one on disk.
     */
    @Test
    void twoOpenersCreatingTheCaAtOnceEndWithTheSameRoot() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                Path dir = Files.createDirectory(tmp.resolve("pool" + round));
                Path link = Files.createSymbolicLink(tmp.resolve("link" + round), dir);
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<X509Certificate> viaFolder = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return ManufacturingCaStore.open(dir).root();
                }, pool);
                CompletableFuture<X509Certificate> viaLink = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return ManufacturingCaStore.open(link).root();
                }, pool);
                X509Certificate a = viaFolder.get(60, TimeUnit.SECONDS);
                X509Certificate b = viaLink.get(60, TimeUnit.SECONDS);
                assertThat(b).as("round %d", round).isEqualTo(a);
                assertThat(PemFile.readWithKey(dir.resolve(ManufacturingCaStore.ROOT_FILE)).certificate()).isEqualTo(a);
                // The intermediate is derived, not stored: both openers derive the same bytes.
                assertThat(ManufacturingCaStore.open(link).intermediate()).isEqualTo(ManufacturingCaStore.open(dir).intermediate());
                try (var left = Files.list(dir)) {
                    assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file is left")
                            .containsExactlyInAnyOrder(ManufacturingCaStore.FILE, ManufacturingCaStore.ROOT_FILE);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A kept file that cannot be the CA is refused in one message naming it, and left as it was. */
    @Test
    void anExistingFileThatIsNotAUsableCaIsRefusedAndKept() throws Exception {
        ManufacturingCa ca = ManufacturingCa.generate();
        KeyMaterial other = TestPki.rsa("CN=other", 1024, 8);
        KeyMaterial ec = TestPki.ec("CN=ec", "secp256r1", 8);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("garbage", "not a PEM file at all\n");
        cases.put("no-key", PemFiles.toPem(ca.root()));
        cases.put("wrong-key", PemFiles.toPem(other.privateKey(), ca.root()));
        cases.put("not-a-ca", PemFiles.toPem(other.privateKey(), other.certificate()));
        cases.put("not-rsa", PemFiles.toPem(ec.privateKey(), ec.certificate()));
        for (var c : cases.entrySet()) {
            Path dir = Files.createDirectory(tmp.resolve(c.getKey()));
            Path file = dir.resolve(ManufacturingCaStore.FILE);
            Files.writeString(file, c.getValue(), StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> ManufacturingCaStore.open(dir)).as(c.getKey())
                    .hasRootCauseInstanceOf(UnusableFileException.class)
                    .rootCause().hasMessageStartingWith(file + ": not a usable simulated manufacturing CA (")
                    .hasMessageEndingWith("); remove it to generate a new one");
            assertThat(Files.readString(file)).as(c.getKey()).isEqualTo(c.getValue());
            try (var left = Files.list(dir)) {
                assertThat(left).hasSize(1);
            }
        }
    }

    @Test
    void aKeptCaIsReadBack() throws Exception {
        KeyMaterial root = ManufacturingCa.generateSelfSigned(ManufacturingCa.SUBJECT_OF_ROOT);
        KeyMaterial issuing = ManufacturingCa.generateSelfSigned(ManufacturingCa.SUBJECT_OF_ISSUING);
        ManufacturingCa ca = new ManufacturingCa(root, issuing);
        Path dir = Files.createDirectory(tmp.resolve("kept"));
        Files.writeString(dir.resolve(ManufacturingCaStore.FILE), PemFiles.toPem(issuing.privateKey(), issuing.certificate()));
        Files.writeString(dir.resolve(ManufacturingCaStore.ROOT_FILE), PemFiles.toPem(root.privateKey(), root.certificate()));
        ManufacturingCa read = ManufacturingCaStore.open(dir);
        assertThat(read.root()).isEqualTo(ca.root());
        assertThat(read.intermediate()).isEqualTo(ca.intermediate());
    }

    /**
     * A key pool written before the CA had two levels holds only {@code manufacturing-ca.pem}, a self-signed
     * "Cisco Manufacturing CA SHA2" that signed MICs directly. It is read as it is (never rewritten), a root is added
     * beside it, and its key becomes the intermediate's: the MICs it issued before verify under the intermediate, and
     * the new ones come from the same key.
     */
    @Test
    void aKeyPoolOfTheOneLevelCaKeepsItsKeyAsTheIntermediate() throws Exception {
        KeyMaterial old = ManufacturingCa.generateSelfSigned(ManufacturingCa.SUBJECT_OF_ISSUING);
        Path dir = Files.createDirectory(tmp.resolve("old-pool"));
        Path file = dir.resolve(ManufacturingCaStore.FILE);
        String oldText = PemFiles.toPem(old.privateKey(), old.certificate());
        Files.writeString(file, oldText, StandardCharsets.US_ASCII);
        X509Certificate oldMic = oneLevelMic(old, "CP-7970-SEP001122334455");

        ManufacturingCa ca = ManufacturingCaStore.open(dir);
        assertThat(Files.readString(file)).as("the old file is kept as it was").isEqualTo(oldText);
        assertThat(dir.resolve(ManufacturingCaStore.ROOT_FILE)).isRegularFile();
        assertThat(ca.intermediate().getPublicKey()).isEqualTo(old.certificate().getPublicKey());
        assertThat(ca.intermediate().getSubjectX500Principal()).isEqualTo(old.certificate().getSubjectX500Principal());
        assertThat(ca.intermediate().getIssuerX500Principal()).isEqualTo(ca.root().getSubjectX500Principal());
        ca.intermediate().verify(ca.root().getPublicKey());
        oldMic.verify(ca.intermediate().getPublicKey());
        assertThat(oldMic.getIssuerX500Principal()).isEqualTo(ca.intermediate().getSubjectX500Principal());
        KeyMaterial newMic = ca.issueWithNewKey("CP-7970-SEP001122334466", 1024, java.time.Clock.systemUTC());
        newMic.certificate().verify(old.certificate().getPublicKey());
        assertThat(newMic.issuers()).containsExactly(ca.intermediate());
    }

    /** A MIC as the one-level CA issued it: signed directly by the self-signed CA. */
    static X509Certificate oneLevelMic(KeyMaterial ca, String cn) throws Exception {
        KeyMaterial leaf = TestPki.rsa("CN=" + cn, 1024, 8);
        var b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(ca.certificate(), java.math.BigInteger.TEN,
                java.util.Date.from(java.time.Instant.now().minusSeconds(86400)), java.util.Date.from(java.time.Instant.now().plusSeconds(86400 * 365)),
                new javax.security.auth.x500.X500Principal("CN=" + cn), leaf.certificate().getPublicKey())
                .addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(false));
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(ca.privateKey())));
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Without hard links the name is taken by an exclusive create: a CA already there is never replaced. */
    @Test
    void withoutHardLinksAPublishedCaIsNeverReplaced() throws Exception {
        Path tmpFile = Files.writeString(tmp.resolve("new.tmp"), "ours", StandardCharsets.US_ASCII);
        Path free = tmp.resolve("free.pem");
        ManufacturingCaStore.publish(tmpFile, free, false);
        assertThat(Files.readString(free, StandardCharsets.US_ASCII)).isEqualTo("ours");
        Path taken = Files.writeString(tmp.resolve("taken.pem"), "theirs", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ManufacturingCaStore.publish(tmpFile, taken, false))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.readString(taken, StandardCharsets.US_ASCII)).isEqualTo("theirs");
    }
}
