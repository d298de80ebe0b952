package org.phoneemu.core.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reading the files users give (cluster and scenario files, PEM files, devices lists, trust lists): never more than a
 * stated limit, whatever the file claims to be ({@code /dev/zero}, a sparse 700 MB file, a named pipe), and text only
 * when it is UTF-8. The one place that bounds what an input file can make the program hold.
 */
public final class InputFiles {
    /** A cluster or scenario file (YAML): far above any real one. */
    public static final long YAML_LIMIT = 1L << 20;
    /** A PEM file: a key and a certificate chain. */
    public static final long PEM_LIMIT = 1L << 20;
    /** One line of a devices list. */
    public static final int LINE_LIMIT = 4096;

    private InputFiles() {
    }

    /** At most {@code limit} bytes of {@code path}; a folder, a missing file or a larger one is an {@link IOException}. */
    public static byte[] bytes(Path path, long limit) throws IOException {
        if (Files.isDirectory(path)) {
            throw new InputLimitException(path.toString(), "is a folder, not a file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (data.length > limit) {
                throw tooLarge(path, limit);
            }
            return data;
        }
    }

    /** The UTF-8 text of {@code path}, at most {@code limit} bytes; anything not UTF-8 is a {@link CharacterCodingException}. */
    public static String text(Path path, long limit) throws IOException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(path, limit))).toString();
    }

    /** Lines of UTF-8 text, each at most {@code maxLine} characters, read as they are asked for (any file size). */
    public static Lines lines(Path path, int maxLine) throws IOException {
        if (Files.isDirectory(path)) {
            throw new InputLimitException(path.toString(), "is a folder, not a file");
        }
        InputStream in = Files.newInputStream(path);
        return new Lines(path, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16), maxLine);
    }

    static InputLimitException tooLarge(Path path, long limit) {
        return new InputLimitException(path.toString(), "larger than the limit of " + size(limit) + " for this file");
    }

    /** {@code 1 MB}, {@code 4096 bytes}. */
    public static String size(long bytes) {
        if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KB";
        }
        return String.format(Locale.ROOT, "%d bytes", bytes);
    }

    /** A file's lines, one at a time; a longer line than the limit ends the reading with the line's number. */
    public static final class Lines implements AutoCloseable {
        private final Path path;
        private final BufferedReader reader;
        private final int maxLine;
        private final StringBuilder line = new StringBuilder();
        private int number;

        private Lines(Path path, BufferedReader reader, int maxLine) {
            this.path = path;
            this.reader = reader;
            this.maxLine = maxLine;
        }

        /** The next line without its end, or null at the end of the file. */
        public String next() throws IOException {
            line.setLength(0);
            int c = reader.read();
            if (c < 0) {
                return null;
            }
            number++;
            while (c >= 0 && c != '\n') {
                if (line.length() >= maxLine) {
                    throw new InputLimitException(path.toString(), "line " + number + " is longer than the limit of " + maxLine + " characters");
                }
                line.append((char) c);
                c = reader.read();
            }
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                line.setLength(end - 1);
            }
            return line.toString();
        }

        /** The number of the line {@link #next()} returned last (1 for the first). */
        public int number() {
            return number;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
