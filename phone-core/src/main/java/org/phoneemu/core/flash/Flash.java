package org.phoneemu.core.flash;

import java.io.IOException;
import java.util.Optional;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;

/**
 * What a phone keeps across reboots: its trust lists, last accepted configuration, identity (MIC, LSC) and
 * status messages. The decisions read and write flash only through this interface; the file system behind it
 * lives elsewhere, so the decision packages never do I/O themselves. A write returns once it is durable.
 */
public interface Flash {
    InstalledTrust trust();

    Optional<PhoneConfig> config();

    /** The accepted configuration's bytes, as downloaded. */
    Optional<byte[]> configXml();

    Optional<PhoneIdentity> identity();

    /** Writes an accepted trust list's bytes, exactly as downloaded, into its slot (CTL or ITL). */
    void install(TrustList list) throws IOException;

    void erase(TrustListKind kind) throws IOException;

    void saveConfig(PhoneConfig accepted, byte[] xml) throws IOException;

    void saveIdentity(PhoneIdentity id) throws IOException;

    /**
     * Installs an LSC issued over CAPF: key and certificate in one atomic write (the old LSC or the new one, never a
     * key without its certificate). Needs the MIC.
     */
    void saveLsc(org.phoneemu.core.pki.KeyMaterial lsc) throws IOException;

    /** CAPF's delete operation: the LSC goes, the MIC stays. */
    void deleteLsc() throws IOException;

    /**
     * Confines the certificate writes ({@link #saveLsc}, {@link #deleteLsc}) to the phone's own executor: with
     * assertions on (the tests), a write where {@code onOwner} says false fails. No-op by default.
     */
    default void confineWritesTo(java.util.function.BooleanSupplier onOwner) {
    }

    /** Writes the current status messages. */
    void saveStatus() throws IOException;

    /** Factory reset: trust lists, config, LSC and status messages go; the MIC stays (it is manufacturer-installed). */
    void factoryReset() throws IOException;
}
