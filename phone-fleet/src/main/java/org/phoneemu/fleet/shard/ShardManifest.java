package org.phoneemu.fleet.shard;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.phoneemu.fleet.Verdict;

/**
 * What a report directory is a part of: written as {@code shard.properties} next to the report files, so that
 * {@code fleet merge} can check that the parts it is given are all the shards of one run, each once.
 *
 * @param runId        the run the shard belongs to (the same for every shard of one run)
 * @param shard        which part of the fleet this is
 * @param startAt      the agreed start of the storm, when one was given
 * @param started      when this shard actually started its first round
 * @param runPhones    phones of the whole (unsharded) fleet
 * @param shardPhones  phones of this shard
 * @param expected     the verdict every phone should end with
 * @param options      the options that define the run (the same for every shard; per-process ones left out)
 */
public record ShardManifest(String runId, Shard shard, Optional<Instant> startAt, Instant started, int runPhones, int shardPhones,
                            Verdict expected, String options) {
    public static final String FILE = "shard.properties";

    public ShardManifest {
        Objects.requireNonNull(runId);
        Objects.requireNonNull(shard);
        Objects.requireNonNull(startAt);
        Objects.requireNonNull(started);
        Objects.requireNonNull(expected);
        Objects.requireNonNull(options);
    }

    public void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("run", runId);
        p.setProperty("shard.index", Integer.toString(shard.index()));
        p.setProperty("shard.count", Integer.toString(shard.count()));
        p.setProperty("start.at", startAt.map(Instant::toString).orElse(""));
        p.setProperty("started", started.toString());
        p.setProperty("phones.run", Integer.toString(runPhones));
        p.setProperty("phones.shard", Integer.toString(shardPhones));
        p.setProperty("expected", expected.word());
        p.setProperty("options", options);
        Files.createDirectories(dir);
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.store(w, "phone-emu fleet shard");
        }
    }

    /** Reads {@code dir/shard.properties}; the exception's message names the directory and what is wrong. */
    public static ShardManifest read(Path dir) throws ShardReportException {
        Path file = dir.resolve(FILE);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new ShardReportException(dir + ": no " + FILE + " (not a fleet report, or written by a fleet without --report)");
        } catch (IOException | IllegalArgumentException e) {
            throw new ShardReportException(file + ": cannot read: " + e.getMessage());
        }
        try {
            String start = get(p, file, "start.at");
            return new ShardManifest(get(p, file, "run"),
                    new Shard(Integer.parseInt(get(p, file, "shard.index")), Integer.parseInt(get(p, file, "shard.count"))),
                    start.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(start)), Instant.parse(get(p, file, "started")),
                    Integer.parseInt(get(p, file, "phones.run")), Integer.parseInt(get(p, file, "phones.shard")),
                    Verdict.parse(get(p, file, "expected")), get(p, file, "options"));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ShardReportException(file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ShardReportException(file + ": " + e.getMessage());
        }
    }

    private static String get(Properties p, Path file, String key) throws ShardReportException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new ShardReportException(file + ": no '" + key + "'");
        }
        return v.strip();
    }
}
