package org.phoneemu.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.io.PemFile;

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

    private static void await(CyclicBarrier b) {
        try {
            b.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
