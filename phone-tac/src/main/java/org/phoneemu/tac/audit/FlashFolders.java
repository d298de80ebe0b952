package org.phoneemu.tac.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds phones' flash folders ({@code SEP<MAC>}) under a fleet's or lab's work directory. */
public final class FlashFolders {
    private FlashFolders() {
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
