package org.phoneemu.tac.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.phoneemu.tac.served.Device;

/** Finds phones' flash folders ({@code SEP<MAC>}) under a fleet's or lab's work directory. */
public final class FlashFolders {
    private FlashFolders() {
    }

    /** A phone's flash folder and the device it is. */
    public record Found(Device device, Path flash) {
    }

    /**
     * The phones of the flash folders under {@code root}, each with its model from {@code listed} when it names the
     * MAC ({@link Device#DEFAULT_MODEL} otherwise); a missing directory or one without a flash folder is an error
     * that says so.
     */
    public static List<Found> phones(Path root, List<Device> listed) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": no such directory");
        }
        List<Found> out = new java.util.ArrayList<>();
        for (Path f : find(root)) {
            String mac = f.getFileName().toString().substring(3);
            out.add(new Found(listed.stream().filter(d -> d.mac().equalsIgnoreCase(mac)).findFirst()
                    .orElse(new Device(mac, Device.DEFAULT_MODEL)), f));
        }
        if (out.isEmpty()) {
            throw new IOException(root + ": no phone flash folder (SEP<MAC>) in it");
        }
        return out;
    }

    /** Every directory named {@code SEP} + 12 hex digits, at most three levels below {@code root}, sorted. */
    public static List<Path> find(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root, 3)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().matches("(?i)SEP[0-9A-F]{12}"))
                    .sorted().toList();
        }
    }
}
