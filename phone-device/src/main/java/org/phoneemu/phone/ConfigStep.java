package org.phoneemu.phone;

/**
 * What a boot did about the configuration, as a value (the last config decision of the boot). The console lines of
 * {@link #NotDownloaded} are rendered from it ({@link NotDownloaded#consoleLine()}).
 */
public sealed interface ConfigStep {
    /** The decision in the phone's words (its console line after the daemon's prefix). */
    String text();

    /** Applied from {@code source} (the file and how it was verified), with {@code tvsServers} TVS servers. */
    record Applied(String source, int tvsServers) implements ConfigStep {
        @Override
        public String text() {
            return org.phoneemu.core.trust.ConfigOutcome.appliedText(source, tvsServers);
        }
    }

    /** Downloaded and rejected: the previous configuration stays. */
    record Rejected(String fileName, String reason) implements ConfigStep {
        @Override
        public String text() {
            return org.phoneemu.core.trust.ConfigOutcome.rejectedText(fileName, reason);
        }
    }

    /**
     * Nothing could be downloaded: none of the names the trust engine asked for ({@code encryptedFile} empty), or
     * the encrypted config a stub pointed at.
     */
    record NotDownloaded(java.util.Optional<String> encryptedFile) implements ConfigStep {
        @Override
        public String text() {
            return "tftpClient: " + encryptedFile.map(f -> f + " could not be downloaded; keeping the previous config")
                    .orElse("no configuration file could be downloaded; keeping the previous one");
        }
    }
}
