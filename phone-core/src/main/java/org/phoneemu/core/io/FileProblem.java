package org.phoneemu.core.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import org.phoneemu.core.io.internal.UnusableFileException;

/**
 * What is wrong with a file or folder the user named, in the user's words ({@code "x.pem: no such file"}), never
 * the JDK's exception text ({@code "Input length = 1"}, {@code "x.pem: x.pem"}). One place for every command and
 * every module, so the same mistake reads the same everywhere.
 */
public final class FileProblem {
    private FileProblem() {
    }

    /** Reading {@code path} failed with {@code e}: {@code "<path>: <what is wrong>"}. */
    public static String reading(Path path, IOException e) {
        if (e instanceof InputLimitException limit) {
            return limit.getMessage();
        }
        if (Files.isDirectory(path)) {
            return path + ": is a folder, not a file";
        }
        if (e instanceof CharacterCodingException) {
            return path + ": not a text file (binary, or not UTF-8 text)";
        }
        if (e instanceof NoSuchFileException) {
            return path + ": no such file";
        }
        return path + ": " + reason(e);
    }

    /** Creating or writing {@code path} (a file or a folder) failed with {@code e}. */
    public static String writing(Path path, IOException e) {
        if (e instanceof FileAlreadyExistsException && Files.isRegularFile(path)) {
            return path + ": is a file, not a folder";
        }
        return path + ": cannot be written: " + reason(e);
    }

    /** A file-system failure whose operation is not known: {@code "<file>: <what is wrong>"}. */
    public static String describe(FileSystemException e) {
        if (e instanceof InputLimitException || e instanceof UnusableFileException) {
            return e.getMessage();
        }
        return (e.getFile() == null ? "" : e.getFile() + ": ") + reason(e);
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException n) {
            return n.getFile() + " is a file, not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String r = f.getReason();
            String lower = r.toLowerCase(Locale.ROOT);
            if (lower.contains("not a directory")) {
                return "a file is in the way (" + f.getFile() + " is inside a file, not a folder)";
            }
            if (lower.contains("is a directory")) {
                return f.getFile() + " is a folder, not a file";
            }
            if (lower.contains("read-only")) {
                return "read-only file system";
            }
            if (lower.contains("no space")) {
                return "no space left on the device";
            }
            return lower;
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() != null && Files.isRegularFile(Path.of(f.getFile())) ? "is a file, not a folder" : "is in the way";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
