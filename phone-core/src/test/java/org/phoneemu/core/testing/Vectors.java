package org.phoneemu.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's test-vectors folder from any module's tests. */
public final class Vectors {
    private Vectors() {
    }

    public static Path root() {
        String repo = System.getProperty("phoneemu.repo");
        Path start = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("test-vectors"))) {
                return p.resolve("test-vectors");
            }
        }
        throw new IllegalStateException("no test-vectors folder above " + start);
    }

    public static Path interop(String relative) {
        return root().resolve("interop").resolve(relative);
    }

    public static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
