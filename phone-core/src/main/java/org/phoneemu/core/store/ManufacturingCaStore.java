package org.phoneemu.core.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.io.internal.UnusableFileException;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.ManufacturingCa;
import org.phoneemu.core.pki.PemFiles;

/**
 * Keeps the simulated {@link ManufacturingCa} in the MIC key pool's folder, generated once: {@code
 * <dir>/manufacturing-ca.pem} (the issuing CA's key and a self-signed certificate, as every version wrote it) and
 * {@code <dir>/manufacturing-root.pem} (the root's key and certificate; added by the version with two levels, and
 * generated beside an older pool's file, which is never rewritten). Every process using the same folder ({@code cucm
 * serve} and {@code boot} started from the same directory, a lab, a fleet) issues and trusts the same CAs. The first
 * writer wins: a file is created only if none exists (a hard link, which fails when the name is taken), and a process
 * that lost the race reads the winner's. A file that exists but cannot be the CA (unreadable, no key, a key not its
 * certificate's, not an RSA CA) is refused ({@link UnusableFileException}, naming it), never replaced.
 */
public final class ManufacturingCaStore {
    /** Where the CLI keeps its MIC key pool, and so the manufacturing CA, unless told otherwise. */
    public static final Path DEFAULT_DIRECTORY = Path.of(".phone-emu", "key-pool");
    /** A system property naming another folder for {@link #shared()} (tests, embedding). */
    public static final String DIRECTORY_PROPERTY = "phoneemu.keyPool";
    static final String FILE = "manufacturing-ca.pem";
    static final String ROOT_FILE = "manufacturing-root.pem";

    private static final Map<Path, ManufacturingCa> OPENED = new ConcurrentHashMap<>();

    private ManufacturingCaStore() {
    }

    /** The CA of the default folder ({@link #DEFAULT_DIRECTORY} in the working directory, or {@link #DIRECTORY_PROPERTY}). */
    public static ManufacturingCa shared() {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        return open(dir == null || dir.isBlank() ? DEFAULT_DIRECTORY : Path.of(dir));
    }

    /** The CA kept in {@code dir}, generated (and saved) on first use; one instance per folder in a process. */
    public static ManufacturingCa open(Path dir) {
        return OPENED.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            try {
                return load(d);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the simulated manufacturing CA in " + d + ": " + e.getMessage(), e);
            }
        });
    }

    private static ManufacturingCa load(Path dir) throws IOException {
        KeyMaterial issuing = keyFile(dir, FILE, ManufacturingCa.SUBJECT_OF_ISSUING);
        KeyMaterial root = keyFile(dir, ROOT_FILE, ManufacturingCa.SUBJECT_OF_ROOT);
        return new ManufacturingCa(root, issuing);
    }

    /** The CA key kept in {@code dir/name}, or a new self-signed one of {@code subject} written there if none is. */
    private static KeyMaterial keyFile(Path dir, String name, String subject) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            return existing(file);
        }
        Files.createDirectories(dir);
        KeyMaterial created = ManufacturingCa.generateSelfSigned(subject);
        // Written in full under another name first, then published under the name only if that is still free: a
        // process that generated its CA at the same time must never replace the one others may already trust.
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, name, ".tmp");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(dir.toString()); // the folder, not the random name the user never chose
        }
        try {
            Files.writeString(tmp, PemFiles.toPem(created.privateKey(), created.certificate()), StandardCharsets.US_ASCII);
            try {
                publish(tmp, file);
                return created;
            } catch (FileAlreadyExistsException lost) {
                return existing(file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code tmp} under the name {@code file}, refused ({@link FileAlreadyExistsException}) if that name is taken. */
    private static void publish(Path tmp, Path file) throws IOException {
        publish(tmp, file, true);
    }

    /** As above; {@code hardLinks} false takes the path of a file system without them (for tests). */
    static void publish(Path tmp, Path file, boolean hardLinks) throws IOException {
        if (hardLinks) {
            try {
                Files.createLink(file, tmp); // atomic, and fails if the name exists
                return;
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                // No hard links on this file system: below.
            }
        }
        // The name is taken by the create itself (O_EXCL), never by a check before a rename, which another process could
        // slip between. A reader may meet the file while it is being written; it is small, written in one call.
        byte[] pem = Files.readAllBytes(tmp);
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (out) {
            out.write(pem);
        } catch (IOException e) {
            Files.deleteIfExists(file); // ours: created above
            throw e;
        }
    }

    /**
     * The CA of a file that exists: this process did not create it, and never replaces it. One that cannot be the CA
     * (MICs may already have been issued under it, or it is the user's) is refused, saying how to start afresh.
     */
    private static KeyMaterial existing(Path file) throws IOException {
        String why;
        try {
            KeyMaterial km = PemFile.readWithKey(file);
            Optional<String> unusable = ManufacturingCa.unusable(km);
            if (unusable.isEmpty()) {
                return km;
            }
            why = unusable.get();
        } catch (PemFiles.PemException e) {
            String m = e.getMessage();
            why = m.startsWith(file.toString()) ? m.substring(file.toString().length()).replaceFirst("^[: ]+", "") : m;
        }
        throw new UnusableFileException(file.toString(),
                "not a usable simulated manufacturing CA (" + why + "); remove it to generate a new one");
    }
}
