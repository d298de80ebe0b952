package org.phoneemu.core.trust;

import org.phoneemu.core.config.PhoneConfig;

/** The engine's decision on a downloaded configuration file. */
public sealed interface ConfigOutcome {
    /** Apply {@code config}: TVS servers, service URLs, access flags. {@code xml} is what to keep on flash. */
    record Applied(PhoneConfig config, byte[] xml, String source) implements ConfigOutcome {
    }

    /** A stub pointing at the encrypted config: fetch {@code fileName} next. */
    record FetchEncrypted(String fileName) implements ConfigOutcome {
    }

    /** Rejected: nothing changes, the previous config stays applied. */
    record Rejected(String fileName, String reason) implements ConfigOutcome {
    }
}
