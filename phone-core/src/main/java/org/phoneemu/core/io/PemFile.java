package org.phoneemu.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.pki.PemFiles.PemException;

/**
 * A PEM file the user or the flash names by path: read within {@link InputFiles#PEM_LIMIT}, then parsed by the
 * I/O-free {@link PemFiles}. A file that cannot be read is a {@link PemException} in the user's words.
 */
public final class PemFile {
    private PemFile() {
    }

    /** The first private key (may be absent) and first certificate (required) of the file. */
    public static KeyMaterial read(Path path) throws PemException {
        return PemFiles.parse(text(path), path.toString());
    }

    /** The first private key and first certificate of the file; both are required. */
    public static KeyMaterial readWithKey(Path path) throws PemException {
        return PemFiles.parseWithKey(text(path), path.toString());
    }

    /** The first private key of the file; a certificate is not needed. */
    public static PrivateKey readPrivateKey(Path path) throws PemException {
        return PemFiles.parsePrivateKey(text(path), path.toString());
    }

    private static String text(Path path) throws PemException {
        try {
            return InputFiles.text(path, InputFiles.PEM_LIMIT);
        } catch (IOException e) {
            throw new PemException(FileProblem.reading(path, e));
        }
    }
}
