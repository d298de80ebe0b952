package org.phoneemu.core.trust;

import java.util.Optional;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.status.StatusMessages;

/** The engine's decision on a downloaded configuration file, with the status message it added (if any). */
public sealed interface ConfigOutcome {
    /** The status message this decision added ("File Auth Fail: …", "Decryption Failed: …"), if any. */
    default Optional<StatusMessages.Message> statusAdded() {
        return Optional.empty();
    }

    /**
     * Apply {@code config}: TVS servers, service URLs, access flags. {@code xml} is what to keep on flash.
     * {@code status} names the fields left out as unusable ({@link PhoneConfig#refusedFields()}), if any.
     */
    record Applied(PhoneConfig config, byte[] xml, String source, Optional<StatusMessages.Message> status) implements ConfigOutcome {
        @Override
        public Optional<StatusMessages.Message> statusAdded() {
            return status;
        }
    }

    /** A stub pointing at the encrypted config: fetch {@code fileName} next. */
    record FetchEncrypted(String fileName) implements ConfigOutcome {
    }

    /**
     * Rejected: nothing changes, the previous config stays applied. {@code status} is the message shown for it
     * (empty when the file was good but could not be written to flash).
     */
    record Rejected(String fileName, String reason, Optional<StatusMessages.Message> status) implements ConfigOutcome {
        @Override
        public Optional<StatusMessages.Message> statusAdded() {
            return status;
        }
    }

    /** A rejection in the phone's words, as its console line says it after the daemon's prefix. */
    static String rejectedText(String fileName, String reason) {
        return fileName + " rejected: " + reason;
    }

    /** An applied config in the phone's words, as its console line says it after the daemon's prefix. */
    static String appliedText(String source, int tvsServers) {
        return "config applied from " + source + ": " + tvsServers + " TVS server(s)";
    }
}
