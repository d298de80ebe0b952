package org.phoneemu.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.phoneemu.core.io.FileProblem;

/** Folders the CLI writes into ({@code --out}, {@code --state}, {@code --work}): made ready, or one clear line. */
final class Folders {
    private Folders() {
    }

    /** Creates {@code dir} (and its parents) for writing; a {@link UserError} naming {@code option} when it cannot. */
    static Path writable(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(PhoneEmu.BAD_INPUT, option + " " + dir + ": is a file, not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, option + " " + FileProblem.writing(dir, e));
        }
        if (!Files.isWritable(dir)) {
            throw new UserError(PhoneEmu.BAD_INPUT, option + " " + dir + ": cannot be written: permission denied");
        }
        return dir;
    }

    /** The folder a file option ({@code --junit report.xml}) will be written in, made ready. */
    static void parentOf(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new UserError(PhoneEmu.BAD_INPUT, option + " " + file + ": is a folder, not a file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            writable(parent, option);
        }
    }
}
