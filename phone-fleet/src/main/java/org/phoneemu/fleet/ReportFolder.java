package org.phoneemu.fleet;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A report folder written whole or not at all: the files go into a temporary sibling folder, which then replaces
 * the report folder by a rename. A process killed on the way leaves the old report (or none) and a temporary folder,
 * never a half-written {@code phones.csv} beside an old {@code summary.json}. A folder holding anything but a report's
 * own files is refused instead of replaced (so {@code --report .} cannot delete a user's files).
 */
public final class ReportFolder {
    /** The files a fleet or merge report consists of. */
    public static final Set<String> REPORT_FILES = Set.of(FleetReport.PHONES_CSV, FleetReport.SUMMARY_JSON, FleetReport.LATENCY_HLOG,
            FleetReport.JUNIT_XML, "shard.properties");

    /** Writes the report's files into the folder it is given. */
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    private ReportFolder() {
    }

    /** Why {@code dir} cannot take a report (a file, or a folder with other files), if it cannot. */
    public static Optional<String> problem(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return Optional.of(dir + " is a file, not a folder");
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<String> others = s.map(p -> p.getFileName().toString()).filter(n -> !REPORT_FILES.contains(n)).sorted().limit(3).toList();
            return others.isEmpty() ? Optional.empty()
                    : Optional.of(dir + " holds other files than a report's (" + String.join(", ", others) + "): choose a new or empty folder");
        } catch (IOException e) {
            return Optional.of(dir + ": " + e.getMessage());
        }
    }

    /** Writes the report with {@code writer} and puts it at {@code dir} in one rename. */
    public static void write(Path dir, Writer writer) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Optional<String> problem = problem(target);
        if (problem.isPresent()) {
            throw new NotDirectoryException(problem.get());
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        long pid = ProcessHandle.current().pid();
        Path fresh = parent.resolve("." + name + ".writing-" + pid);
        Path old = parent.resolve("." + name + ".old-" + pid);
        deleteTree(fresh);
        deleteTree(old);
        leftByEndedWriters(parent, name, target);
        Files.createDirectory(fresh);
        try {
            writer.write(fresh);
            if (Files.exists(target)) {
                move(target, old);
            }
            move(fresh, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(fresh);
            if (!Files.exists(target) && Files.exists(old)) {
                move(old, target);
            }
            throw e;
        }
        deleteTree(old);
    }

    /**
     * What a writer killed on the way left beside the report: its temporary folder (deleted), and, had it been killed
     * between its two renames, the old report (put back, since no new one replaced it). Only writers whose process
     * has ended: another one may be writing now.
     */
    private static void leftByEndedWriters(Path parent, String name, Path target) throws IOException {
        List<Path> left;
        try (Stream<Path> s = Files.list(parent)) {
            left = s.filter(p -> endedWriter(p.getFileName().toString(), name)).sorted().toList();
        }
        for (Path p : left) {
            if (p.getFileName().toString().startsWith("." + name + ".old-") && !Files.exists(target)) {
                move(p, target);
            } else {
                deleteTree(p);
            }
        }
    }

    private static boolean endedWriter(String file, String name) {
        for (String kind : List.of(".writing-", ".old-")) {
            String prefix = "." + name + kind;
            if (file.startsWith(prefix) && file.substring(prefix.length()).matches("\\d{1,18}")) {
                return ProcessHandle.of(Long.parseLong(file.substring(prefix.length()))).isEmpty();
            }
        }
        return false;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(to + " appeared while the report was written", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
