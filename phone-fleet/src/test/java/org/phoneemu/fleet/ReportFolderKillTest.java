package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report is written whole or not at all, even when the writing process is killed with SIGKILL half-way: the old
 * report stays as it was, and the next write clears what the killed one left.
 */
class ReportFolderKillTest {
    /** Run in a JVM of its own: writes half a phones.csv into the new report, says so, and waits to be killed. */
    public static final class HalfWriter {
        public static void main(String[] args) throws Exception {
            Path out = Path.of(args[0]);
            Path ready = Path.of(args[1]);
            ReportFolder.write(out, dir -> {
                Files.writeString(dir.resolve(FleetReport.PHONES_CSV), "mac,model\n00CC00000000,7970\n00CC0000");
                Files.writeString(ready, "half written");
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void aWriterKilledHalfWayLeavesTheOldReportAndTheNextWriteClearsItsLeftovers(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("report");
        ReportFolder.write(out, dir -> {
            Files.writeString(dir.resolve(FleetReport.PHONES_CSV), "mac,model\n00AA00000000,7970\n");
            Files.writeString(dir.resolve(FleetReport.SUMMARY_JSON), "{\"phones\": 1}\n");
        });
        Path ready = tmp.resolve("ready");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp", cp,
                HalfWriter.class.getName(), out.toString(), ready.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // The event: the writer says it is half-way (bounded only so that a broken writer cannot hang the build).
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.exists(ready) && p.isAlive() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(ready).as("the writer got half-way").exists();
        } finally {
            p.destroyForcibly(); // SIGKILL: no finally block of the writer runs
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(Files.readString(out.resolve(FleetReport.PHONES_CSV))).isEqualTo("mac,model\n00AA00000000,7970\n");
        assertThat(Files.readString(out.resolve(FleetReport.SUMMARY_JSON))).isEqualTo("{\"phones\": 1}\n");
        assertThat(leftovers(tmp)).as("the killed writer's folder").hasSize(1);

        ReportFolder.write(out, dir -> Files.writeString(dir.resolve(FleetReport.PHONES_CSV), "mac,model\n00BB00000000,7970\n"));
        assertThat(Files.readString(out.resolve(FleetReport.PHONES_CSV))).isEqualTo("mac,model\n00BB00000000,7970\n");
        assertThat(out.resolve(FleetReport.SUMMARY_JSON)).doesNotExist();
        assertThat(leftovers(tmp)).isEmpty();
    }

    @Test
    void anOldReportLeftBetweenTheTwoRenamesIsPutBack(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("report");
        // A writer killed after moving the old report aside and before moving its new one in (a process that ended).
        long ended = new ProcessBuilder("true").start().pid();
        Path old = Files.createDirectory(tmp.resolve(".report.old-" + ended));
        Files.writeString(old.resolve(FleetReport.SUMMARY_JSON), "{\"phones\": 1}\n");
        ReportFolder.write(tmp.resolve("other"), dir -> Files.writeString(dir.resolve(FleetReport.SUMMARY_JSON), "{}\n"));
        assertThat(old).as("another report's write leaves it alone").exists();
        assertThatThrownByWriteFails(out);
        assertThat(Files.readString(out.resolve(FleetReport.SUMMARY_JSON))).isEqualTo("{\"phones\": 1}\n");
        assertThat(leftovers(tmp)).isEmpty();
    }

    /** A write that fails: the old report, put back first, stays. */
    private static void assertThatThrownByWriteFails(Path out) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportFolder.write(out, dir -> {
            throw new java.io.IOException("No space left on device");
        })).hasMessage("No space left on device");
    }

    private static java.util.List<String> leftovers(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }
}
