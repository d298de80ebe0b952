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
import org.phoneemu.core.io.UnusableFileException;
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
                assertThat(PemFile.readWithKey(dir.resolve(ManufacturingCaStore.FILE)).certificate()).isEqualTo(a);
                try (var left = Files.list(dir)) {
                    assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file is left").containsExactly(ManufacturingCaStore.FILE);
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
        ManufacturingCa ca = ManufacturingCa.generate();
        Path dir = Files.createDirectory(tmp.resolve("kept"));
        Files.writeString(dir.resolve(ManufacturingCaStore.FILE), PemFiles.toPem(ca.keyMaterial().privateKey(), ca.root()));
        assertThat(ManufacturingCaStore.open(dir).root()).isEqualTo(ca.root());
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
