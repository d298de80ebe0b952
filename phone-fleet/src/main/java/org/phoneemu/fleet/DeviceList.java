package org.phoneemu.fleet;

import java.io.IOException;
import java.math.BigInteger;
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
 * Where a fleet's phones come from: MACs counted up from a base, or a devices file in the manner of SIPp's
 * injection files (one phone a line, {@code mac,model[,lsc_pem]}, a header line, {@code #} comments).
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
            super(file + " line " + line + ": " + message);
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
     * Reads a devices file. The first non-comment line is the header ({@code mac,model[,lsc_pem]}); blank lines
     * and lines starting with {@code #} are skipped; a relative {@code lsc_pem} is resolved against the file's
     * folder. A MAC given twice is an error.
     */
    public static List<Device> read(Path file) throws IOException, DeviceListException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Device> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split(",", -1);
            for (int c = 0; c < cols.length; c++) {
                cols[c] = cols[c].strip();
            }
            if (!header) {
                if (cols.length < 2 || !cols[0].equalsIgnoreCase("mac") || !cols[1].equalsIgnoreCase("model")
                        || (cols.length == 3 && !cols[2].equalsIgnoreCase("lsc_pem")) || cols.length > 3) {
                    throw new DeviceListException(file, lineNo, "expected the header 'mac,model[,lsc_pem]', found '" + line + "'");
                }
                header = true;
                continue;
            }
            if (cols.length < 2 || cols.length > 3) {
                throw new DeviceListException(file, lineNo, "expected 2 or 3 columns (mac,model[,lsc_pem]), found " + cols.length);
            }
            String mac = cols[0].toUpperCase(Locale.ROOT);
            if (mac.startsWith("SEP")) {
                mac = mac.substring(3);
            }
            mac = mac.replace(":", "").replace("-", "");
            if (!mac.matches("[0-9A-F]{12}")) {
                throw new DeviceListException(file, lineNo, "'" + cols[0] + "' is not a MAC (12 hex digits)");
            }
            if (cols[1].isEmpty() || !cols[1].matches("[A-Za-z0-9-]+")) {
                throw new DeviceListException(file, lineNo, "'" + cols[1] + "' is not a phone model (e.g. 7970, 8841)");
            }
            if (!seen.add(mac)) {
                throw new DeviceListException(file, lineNo, "MAC " + mac + " is listed twice");
            }
            Optional<Path> lsc = Optional.empty();
            if (cols.length == 3 && !cols[2].isEmpty()) {
                Path p = file.toAbsolutePath().getParent().resolve(cols[2]);
                if (!Files.isRegularFile(p)) {
                    throw new DeviceListException(file, lineNo, "LSC file " + p + " does not exist");
                }
                lsc = Optional.of(p);
            }
            out.add(new Device(mac, cols[1], lsc));
        }
        if (!header) {
            throw new DeviceListException(file, Math.max(1, lines.size()), "no header line 'mac,model[,lsc_pem]'");
        }
        if (out.isEmpty()) {
            throw new DeviceListException(file, Math.max(1, lines.size()), "no phones listed");
        }
        return out;
    }
}
