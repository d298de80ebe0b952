package org.phoneemu.tac.served;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.phoneemu.core.io.DevicesFile;

/** {@code devices.csv} for the TAC tools: the phones of a {@link DevicesFile}, as every command reads it. */
public final class DevicesCsv {
    private DevicesCsv() {
    }

    public static List<Device> read(Path file) throws IOException {
        return DevicesFile.readAll(file).stream().map(r -> new Device(r.mac().hex(), r.model().name())).toList();
    }
}
