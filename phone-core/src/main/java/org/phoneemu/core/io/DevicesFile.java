package org.phoneemu.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;

/**
 * A devices list ({@code devices.csv}), the one reader for every command that takes one (fleet, predict, audit): one
 * phone a line, {@code MAC[,model[,lsc_pem]]}, separated by {@code ,} or {@code ;}. A first line starting with
 * {@code mac} is a header and may be left out; blank lines and lines starting with {@code #} are skipped. A MAC may be
 * written as phones and CUCM write it ({@code SEP001122334455}, {@code 00:11:22:33:44:55}, {@code 00-11-…}); the
 * model defaults to 7970; a relative {@code lsc_pem} is resolved against the file's folder. A MAC given twice is an
 * error. Lines are read one at a time, each at most {@link InputFiles#LINE_LIMIT} characters, so a list of a million
 * phones is never held as text.
 */
public final class DevicesFile implements AutoCloseable {
    /** The model of a phone whose line names none. */
    public static final PhoneModel DEFAULT_MODEL = new PhoneModel("7970");

    /** One phone of the list, with the number of the line it came from. */
    public record Row(int line, Mac mac, PhoneModel model, Optional<Path> lscPem) {
    }

    /** A line that cannot be used; the message names the file and the line. */
    public static final class Problem extends IOException {
        private static final long serialVersionUID = 1L;
        private final int line;

        Problem(Path file, int line, String message) {
            super("devices file " + file + " line " + line + ": " + message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private final Path file;
    private final InputFiles.Lines lines;
    private final Set<Long> seen = new HashSet<>();
    private int phones;
    private boolean pastFirstLine;

    private DevicesFile(Path file, InputFiles.Lines lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Opens {@code file}; a missing file, a folder or one that cannot be read is an {@link IOException} saying so in words. */
    public static DevicesFile open(Path file) throws IOException {
        try {
            return new DevicesFile(file, InputFiles.lines(file, InputFiles.LINE_LIMIT));
        } catch (IOException e) {
            throw new IOException("devices file " + FileProblem.reading(file, e), e);
        }
    }

    /** Every phone of {@code file}; an empty list is an error. */
    public static List<Row> readAll(Path file) throws IOException {
        List<Row> out = new ArrayList<>();
        try (DevicesFile f = open(file)) {
            for (Row r = f.next(); r != null; r = f.next()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The next phone, or null after the last; a list with no phone at all is an error at its end. */
    public Row next() throws IOException {
        while (true) {
            String raw;
            try {
                raw = lines.next();
            } catch (IOException e) {
                throw new IOException("devices file " + FileProblem.reading(file, e), e);
            }
            if (raw == null) {
                if (phones == 0) {
                    throw new Problem(file, Math.max(1, lines.number()), "no phones listed");
                }
                return null;
            }
            String line = raw.strip();
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte-order mark some editors write
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\\s*[,;]\\s*", -1);
            boolean first = !pastFirstLine;
            pastFirstLine = true;
            if (first && cols[0].equalsIgnoreCase("mac")) {
                continue; // the header: only the first line that is not a comment may be one
            }
            Row row = row(cols, lines.number());
            phones++;
            return row;
        }
    }

    private Row row(String[] cols, int n) throws Problem {
        if (cols.length > 3) {
            throw new Problem(file, n, "expected MAC[,model[,lsc_pem]], found " + cols.length + " columns");
        }
        Mac mac = Mac.parseWritten(cols[0]).orElseThrow(() -> new Problem(file, n,
                "'" + cols[0] + "' is not a MAC (12 hex digits, e.g. 001122334455, SEP001122334455 or 00:11:22:33:44:55)"));
        PhoneModel model = DEFAULT_MODEL;
        if (cols.length > 1 && !cols[1].isEmpty()) {
            model = PhoneModel.parseKnown(cols[1]).orElseThrow(() -> new Problem(file, n,
                    "'" + cols[1] + "' is not a phone model (e.g. 7970, 8845 or 7965G)"));
        }
        Optional<Path> lsc = Optional.empty();
        if (cols.length == 3 && !cols[2].isEmpty()) {
            Path parent = file.toAbsolutePath().getParent();
            Path p = parent == null ? Path.of(cols[2]) : parent.resolve(cols[2]);
            if (!Files.isRegularFile(p)) {
                throw new Problem(file, n, "LSC file " + p + (Files.isDirectory(p) ? " is a folder, not a file"
                        : Files.exists(p) ? " is not a regular file" : " does not exist"));
            }
            lsc = Optional.of(p);
        }
        if (!seen.add(Long.parseLong(mac.hex(), 16))) {
            throw new Problem(file, n, "MAC " + mac.hex() + " is listed twice");
        }
        return new Row(n, mac, model, lsc);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
