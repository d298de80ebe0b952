package org.phoneemu.capf.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.phoneemu.core.flash.Flash;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * What a CAPF session changes on the phone's flash. Each call runs on the phone's own executor (the one place its
 * flash is touched) and completes when the flash is written; the session continues on its event loop.
 */
public interface CapfFlash {
    /** Writes the LSC and its key atomically. */
    CompletableFuture<Void> installLsc(KeyMaterial lsc);

    /** Removes the LSC (the MIC stays). */
    CompletableFuture<Void> deleteLsc();

    /** The phone's flash, written on {@code phoneExecutor}. */
    static CapfFlash of(Flash store, Executor phoneExecutor) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(phoneExecutor, "phoneExecutor");
        return new CapfFlash() {
            @Override
            public CompletableFuture<Void> installLsc(KeyMaterial lsc) {
                return CompletableFuture.runAsync(() -> {
                    try {
                        store.saveLsc(lsc);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, phoneExecutor);
            }

            @Override
            public CompletableFuture<Void> deleteLsc() {
                return CompletableFuture.runAsync(() -> {
                    try {
                        store.deleteLsc();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, phoneExecutor);
            }
        };
    }
}
