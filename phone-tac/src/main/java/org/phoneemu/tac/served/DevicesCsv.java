package org.phoneemu.tac.served;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code devices.csv}: one phone per line, {@code MAC[,model]}; a first line starting with {@code mac} is a header,
 * {@code #} starts a comment. {@code SEP} before the MAC is allowed.
 */
public final class DevicesCsv {
    private DevicesCsv() {
    }

    public static List<Device> read(Path file) throws IOException {
        List<Device> out = new ArrayList<>();
        int n = 0;
        for (String raw : Files.readAllLines(file)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || (n == 1 && line.toLowerCase().startsWith("mac"))) {
                continue;
            }
            String[] cols = line.split("\\s*[,;]\\s*");
            String mac = cols[0].replaceFirst("(?i)^SEP", "");
            String model = cols.length > 1 && !cols[1].isBlank() ? cols[1] : Device.DEFAULT_MODEL;
            try {
                out.add(new Device(mac, model));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + n + ": " + e.getMessage());
            }
        }
        return out;
    }
}
