package org.phoneemu.core.trust;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.testing.TestPki;

/** A phone's security daemon on a temp-dir flash with a virtual clock, for engine tests (no network). */
final class PhoneHarness {
    final Path flash;
    final VirtualClock clock;
    final ConsoleLog log;
    final StatusMessages status;
    SecurityDaemon secd;

    PhoneHarness(Path flash, Optional<KeyMaterial> lsc) throws IOException {
        this.flash = flash;
        this.clock = new VirtualClock(Instant.parse("2026-11-22T09:13:17Z"));
        this.log = new ConsoleLog("SEP001122334455", clock);
        this.status = new StatusMessages(clock);
        TrustStore store = TrustStore.open(flash, FileOps.system(), clock, log, status);
        if (store.identity().isEmpty()) {
            store.saveIdentity(new PhoneIdentity(TestPki.rsa("CN=CP-7970-SEP001122334455", 1024, 8), lsc));
        }
        this.secd = new SecurityDaemon(store, clock, log, status);
    }

    /** Power-cycles the phone: flash is read again, the TVS cache starts empty. */
    void reboot() throws IOException {
        TrustStore store = TrustStore.open(flash, FileOps.system(), clock, log, status);
        secd = new SecurityDaemon(store, clock, log, status);
    }
}
