package org.phoneemu.fleet;

import java.io.IOException;
import java.math.BigInteger;
import org.phoneemu.core.io.DevicesFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a fleet's phones come from: MACs counted up from a base, or a devices file ({@link DevicesFile}: one phone
 * a line, {@code mac[,model[,lsc_pem]]}, an optional header line, {@code #} comments).
 */
public final class DeviceList {
    /** The default first MAC of generated phones. */
    public static final String DEFAULT_MAC_BASE = "00AB00000000";
    public static final String DEFAULT_MODEL = "7970";
    private static final BigInteger MAC_SPACE = BigInteger.ONE.shiftLeft(48);

    private DeviceList() {
    }

    /** A line of a devices file that cannot be used; {@link #getMessage()} names the file and line. */
    public static final class DeviceListException extends Exception {
        private final int line;

        public DeviceListException(Path file, int line, String message) {
            this(file + " line " + line + ": " + message, line);
        }

        DeviceListException(String message, int line) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** {@code count} phones with MACs {@code base}, {@code base + 1}, … (hex), all of {@code model}. */
    public static List<Device> generated(String macBase, int count, String model) {
        if (!macBase.matches("[0-9A-Fa-f]{12}")) {
            throw new IllegalArgumentException("--mac-base must be 12 hex digits, not '" + macBase + "'");
        }
        BigInteger base = new BigInteger(macBase, 16);
        if (base.add(BigInteger.valueOf(count)).compareTo(MAC_SPACE) > 0) {
            throw new IllegalArgumentException(count + " MACs from " + macBase + " run past FFFFFFFFFFFF");
        }
        List<Device> out = new ArrayList<>(count);
        long b = base.longValueExact();
        for (int i = 0; i < count; i++) {
            out.add(new Device(String.format(Locale.ROOT, "%012X", b + i), model));
        }
        return out;
    }

    /**
     * Reads a devices file ({@link DevicesFile}: the one format of every command, header optional, MACs as phones
     * write them, errors naming the file and the line).
     */
    public static List<Device> read(Path file) throws IOException, DeviceListException {
        List<Device> out = new ArrayList<>();
        try (DevicesFile f = DevicesFile.open(file)) {
            for (DevicesFile.Row r = f.next(); r != null; r = f.next()) {
                out.add(new Device(r.mac().hex(), r.model().name(), r.lscPem()));
            }
        } catch (DevicesFile.Problem e) {
            throw new DeviceListException(e.getMessage(), e.line());
        } catch (IOException e) {
            // a missing file, a folder, a binary file, a line over the limit: already in the user's words
            throw new DeviceListException(e.getMessage(), 0);
        }
        return out;
    }

    /** Opens a devices file to read it phone by phone (a large fleet need not hold the list twice). */
    public static DevicesFile open(Path file) throws IOException {
        return DevicesFile.open(file);
    }
}
