package org.phoneemu.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;

/** A trust-store write interrupted at every step still loads as the old state or the new one. */
class CrashSafetyTest {
    static final byte[] OLD = Vectors.read(Vectors.interop("itl/ITLFile.tlv"));
    static final byte[] NEW = Vectors.read(Vectors.interop("itl/ITLFile-signed-by-itlrecovery.tlv"));

    /** Fails (the "crash") at operation number {@code failAt}; a failing write leaves half the bytes. */
    static final class CrashingFileOps implements FileOps {
        private final int failAt;
        private int step;

        CrashingFileOps(int failAt) {
            this.failAt = failAt;
        }

        private void tick() throws IOException {
            if (step++ == failAt) {
                throw new IOException("simulated power loss at step " + failAt);
            }
        }

        @Override
        public void write(Path file, byte[] data) throws IOException {
            if (step == failAt) {
                FileOps.system().write(file, Arrays.copyOf(data, data.length / 2));
            }
            tick();
            FileOps.system().write(file, data);
        }

        @Override
        public void fsync(Path file) throws IOException {
            tick();
            FileOps.system().fsync(file);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            tick();
            FileOps.system().move(from, to);
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            tick();
            FileOps.system().fsyncDirectory(dir);
        }

        @Override
        public void delete(Path file) throws IOException {
            tick();
            FileOps.system().delete(file);
        }
    }

    static Stream<Integer> steps() {
        return Stream.of(0, 1, 2, 3, 4);
    }

    @ParameterizedTest(name = "crash at step {0}")
    @MethodSource("steps")
    void aCrashAtAnyStepLeavesTheOldOrTheNewItl(int step, @TempDir Path flash) throws Exception {
        VirtualClock clock = new VirtualClock(Instant.EPOCH);
        ConsoleLog log = new ConsoleLog("t", clock);
        TrustStore store = TrustStore.open(flash, FileOps.system(), clock, log, new StatusMessages(clock));
        store.install(TrustList.parse(OLD, TrustListKind.ITL));

        TrustStore crashing = TrustStore.open(flash, new CrashingFileOps(step), clock, log, new StatusMessages(clock));
        boolean crashed;
        try {
            crashing.install(TrustList.parse(NEW, TrustListKind.ITL));
            crashed = false;
        } catch (IOException e) {
            crashed = true;
        }
        assertThat(crashed).isEqualTo(step < 4);

        TrustStore reloaded = TrustStore.open(flash, FileOps.system(), clock, log, new StatusMessages(clock));
        byte[] onFlash = reloaded.trust().itl().orElseThrow().file().bytes();
        assertThat(Arrays.equals(onFlash, OLD) || Arrays.equals(onFlash, NEW)).as("old or new, never a mix").isTrue();
        if (step < 2) {
            assertThat(onFlash).isEqualTo(OLD);
        }
        try (Stream<Path> files = Files.list(flash)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(AtomicFiles.TEMP_SUFFIX));
        }
    }

    @Test
    void aCorruptItlOnFlashIsTreatedAsAbsentReportedAndKeptAside(@TempDir Path flash) throws Exception {
        byte[] damaged = OLD.clone();
        damaged[damaged.length - 10] ^= 0x40;
        Files.write(flash.resolve(TrustStore.ITL), damaged);
        Files.write(flash.resolve(TrustStore.CTL), Arrays.copyOf(OLD, 100));
        VirtualClock clock = new VirtualClock(Instant.ofEpochMilli(1234));
        ConsoleLog log = new ConsoleLog("t", clock);
        StatusMessages status = new StatusMessages(clock);
        TrustStore store = TrustStore.open(flash, FileOps.system(), clock, log, status);
        assertThat(store.trust().itl()).isEmpty();
        assertThat(store.trust().ctl()).isEmpty();
        assertThat(Files.readAllBytes(flash.resolve("ITLFile.tlv.corrupt-1234"))).isEqualTo(damaged);
        assertThat(flash.resolve("CTLFile.tlv.corrupt-1234")).exists();
        assertThat(status.contains("ITLFile.tlv on flash is corrupt")).isTrue();
        assertThat(log.contains("kept aside as ITLFile.tlv.corrupt-1234")).isTrue();
    }

    @Test
    void aFailedWriteKeepsTheStoreInMemoryAsItWas(@TempDir Path flash) throws Exception {
        VirtualClock clock = new VirtualClock(Instant.EPOCH);
        ConsoleLog log = new ConsoleLog("t", clock);
        TrustStore store = TrustStore.open(flash, new CrashingFileOps(0), clock, log, new StatusMessages(clock));
        assertThatThrownBy(() -> store.install(TrustList.parse(OLD, TrustListKind.ITL))).isInstanceOf(IOException.class);
        assertThat(store.trust().itl()).isEmpty();
    }
}
