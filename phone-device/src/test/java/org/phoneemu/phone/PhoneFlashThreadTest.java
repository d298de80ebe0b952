package org.phoneemu.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.capf.api.CapfFlash;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.testing.TestPki;

/**
 * The phone's flash is written only on the phone's own executor (issue 20): a CAPF write handed to that executor
 * goes through, the same write on another thread (the common pool, as before) trips the test-time check and leaves the
 * flash as it was.
 */
class PhoneFlashThreadTest {
    @Test
    void capfWritesRunOnThePhonesExecutorAndNowhereElse(@TempDir Path tmp) throws Exception {
        assertThat(PhoneFlashThreadTest.class.desiredAssertionStatus()).as("tests run with -ea").isTrue();
        Clock clock = Clock.systemUTC();
        TrustStore store = TrustStore.open(tmp, FileOps.system(), clock, new ConsoleLog("x", clock), new StatusMessages(clock));
        store.saveIdentity(new PhoneIdentity(TestPki.rsa("CN=CP-7970-SEP001122334455", 1024, 8), Optional.empty()));
        KeyMaterial lsc = TestPki.rsa("CN=SEP001122334455", 1024, 8);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            SerialExecutor phone = new SerialExecutor(pool);
            store.confineWritesTo(phone::runsHere);

            assertThatThrownBy(() -> CapfFlash.of(store, ForkJoinPool.commonPool()).installLsc(lsc).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(AssertionError.class)
                    .hasMessageContaining("off the phone's executor");
            assertThat(Files.exists(tmp.resolve(TrustStore.LSC))).isFalse();

            CapfFlash.of(store, phone).installLsc(lsc).join();
            assertThat(Files.exists(tmp.resolve(TrustStore.LSC))).isTrue();
            assertThatThrownBy(() -> store.deleteLsc()).isInstanceOf(AssertionError.class);
            CapfFlash.of(store, phone).deleteLsc().join();
            assertThat(Files.exists(tmp.resolve(TrustStore.LSC))).isFalse();
        } finally {
            pool.shutdown();
        }
    }
}
