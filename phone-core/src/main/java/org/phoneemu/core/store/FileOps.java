package org.phoneemu.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file operations an atomic write is made of. Tests replace it with one that fails at a chosen step to
 * prove a crash anywhere leaves the old file or the new one.
 */
public interface FileOps {
    /** Creates {@code file} (replacing any) and writes {@code data} to it. */
    void write(Path file, byte[] data) throws IOException;

    void fsync(Path file) throws IOException;

    /** Atomically replaces {@code to} with {@code from}. */
    void move(Path from, Path to) throws IOException;

    void fsyncDirectory(Path dir) throws IOException;

    void delete(Path file) throws IOException;

    /** The real file system. */
    static FileOps system() {
        return SystemFileOps.INSTANCE;
    }

    /**
     * The real file system without fsync: files are still replaced atomically (a reader sees the old or the new one),
     * but nothing waits for the disk. For scratch flash only (a prediction's copies, deleted when it ends), where
     * surviving a power cut is worth nothing and each fsync cost a boot tens of milliseconds on a busy disk.
     */
    static FileOps unsynced() {
        return UnsyncedFileOps.INSTANCE;
    }

    /** Writes nothing: the flash of {@link TrustStore#inMemory} lives in the store's own fields. */
    static FileOps none() {
        return NoFileOps.INSTANCE;
    }

    /** {@link FileOps} that does nothing. */
    final class NoFileOps implements FileOps {
        static final NoFileOps INSTANCE = new NoFileOps();

        @Override
        public void write(Path file, byte[] data) {
        }

        @Override
        public void fsync(Path file) {
        }

        @Override
        public void move(Path from, Path to) {
        }

        @Override
        public void fsyncDirectory(Path dir) {
        }

        @Override
        public void delete(Path file) {
        }
    }

    /** {@link FileOps} on the real file system. */
    final class SystemFileOps implements FileOps {
        static final SystemFileOps INSTANCE = new SystemFileOps();

        @Override
        public void write(Path file, byte[] data) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }

        @Override
        public void fsync(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            // Linux allows fsync on a directory opened read-only; other systems may refuse, which is harmless.
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                if (System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                    throw e instanceof IOException io ? io : new IOException(e);
                }
            }
        }

        @Override
        public void delete(Path file) throws IOException {
            Files.deleteIfExists(file);
        }
    }

    /** {@link SystemFileOps} without its fsyncs. */
    final class UnsyncedFileOps implements FileOps {
        static final UnsyncedFileOps INSTANCE = new UnsyncedFileOps();

        @Override
        public void write(Path file, byte[] data) throws IOException {
            SystemFileOps.INSTANCE.write(file, data);
        }

        @Override
        public void fsync(Path file) {
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            SystemFileOps.INSTANCE.move(from, to);
        }

        @Override
        public void fsyncDirectory(Path dir) {
        }

        @Override
        public void delete(Path file) throws IOException {
            SystemFileOps.INSTANCE.delete(file);
        }
    }
}
