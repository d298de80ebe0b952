package org.phoneemu.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * phone-emu's own folder (the one holding {@code config/}): where default cluster files are found, wherever the
 * command is called from. The launcher passes it as {@code -Dphoneemu.home}; otherwise it is found from the jar's
 * place ({@code <home>/phone-ui-sim/target/phone-emu.jar}). Files the user names are relative to the current folder.
 */
final class Home {
    static final String DEFAULT_CLUSTER = "config/clusters/default.yaml";
    static final String LAB_CLUSTER = "config/clusters/lab.yaml";

    private Home() {
    }

    static Optional<Path> folder() {
        String property = System.getProperty("phoneemu.home");
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        try {
            Path jar = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // .../phone-ui-sim/target/phone-emu.jar or .../phone-ui-sim/target/classes
            Path candidate = jar.getParent() == null || jar.getParent().getParent() == null ? null : jar.getParent().getParent().getParent();
            return Optional.ofNullable(candidate).filter(h -> Files.isDirectory(h.resolve("config")));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A file the user named: as given when it exists or is absolute; else, when phone-emu's own folder has it (the
     * README's {@code config/clusters/lab.yaml} typed from another folder), that one.
     */
    static Path resolve(Path given) {
        if (given.isAbsolute() || Files.exists(given)) {
            return given;
        }
        return folder().map(h -> h.resolve(given)).filter(Files::exists).orElse(given);
    }
}
