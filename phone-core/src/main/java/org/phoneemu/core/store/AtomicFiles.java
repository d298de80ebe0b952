package org.phoneemu.core.store;

import java.io.IOException;
import java.nio.file.Path;

/** Atomic replacement of a file: write a temp file, fsync it, rename over the target, fsync the directory. */
public final class AtomicFiles {
    /** Suffix of in-progress writes; leftovers are incomplete by definition and are removed on load. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    public static void write(FileOps ops, Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(target.getFileName() + TEMP_SUFFIX);
        ops.write(tmp, data);
        ops.fsync(tmp);
        ops.move(tmp, target);
        ops.fsyncDirectory(dir);
    }

    /** Removes {@code target} and makes the removal durable. */
    public static void delete(FileOps ops, Path target) throws IOException {
        ops.delete(target);
        ops.fsyncDirectory(target.toAbsolutePath().getParent());
    }
}
