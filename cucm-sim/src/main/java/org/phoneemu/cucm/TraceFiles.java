package org.phoneemu.cucm;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-service trace files, as CUCM keeps a trace file per service: {@code <state>/trace/<node>/tvs.txt} and
 * {@code tftp.txt}, one line each as CUCM stamps it ({@code 15:21:02.010 | debug <text>}). Lines come from server event
 * loops, which must never touch the disk: they are queued to one writer thread of this cluster. Both the queue and
 * the files are bounded (a file that reaches {@link #MAX_FILE_BYTES} is renamed {@code .1} and started anew; a full
 * queue drops lines and says how many in the next line it writes), so a flood of phones cannot fill the disk.
 */
final class TraceFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    static final int MAX_QUEUED_LINES = 50_000;

    private final Path root;
    private final ThreadPoolExecutor writer;
    private final Map<Path, BufferedWriter> open = new HashMap<>();
    private final Map<Path, Long> sizes = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private boolean failed;

    TraceFiles(Path stateDirectory) {
        this.root = stateDirectory.resolve("trace");
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED_LINES), r -> {
            Thread t = new Thread(r, "cucm-trace-writer");
            t.setDaemon(true);
            return t;
        }, (task, executor) -> dropped.incrementAndGet());
    }

    /** The trace file of {@code service} on {@code node}. */
    Path file(String node, ClusterService service) {
        return root.resolve(node).resolve(service.name().toLowerCase(Locale.ROOT) + ".txt");
    }

    /** Queues a line; never blocks, never touches the disk on the caller's thread. */
    void append(ServiceLogLine line) {
        if (writer.isShutdown()) {
            return;
        }
        writer.execute(() -> write(file(line.node(), line.service()), line.formatted()));
    }

    /** Writes every queued line to disk (for readers of the files, e.g. tests and {@code close}). */
    void flush() {
        if (writer.isShutdown()) {
            return;
        }
        try {
            writer.submit(this::flushAll).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            LOG.warn("service trace files: flush failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(Path file, String text) {
        if (failed) {
            return;
        }
        try {
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                line(file, text.substring(0, Math.min(text.length(), 13)) + "| debug (" + lost + " trace lines dropped: too many at once)");
            }
            line(file, text);
        } catch (IOException | UncheckedIOException e) {
            // The servers keep serving; the traces stop (one warning, not one per line).
            failed = true;
            LOG.warn("service trace files under {} cannot be written: {}", root, e.toString());
        }
    }

    private void line(Path file, String text) throws IOException {
        BufferedWriter w = open.get(file);
        long size = sizes.getOrDefault(file, 0L);
        if (w != null && size >= MAX_FILE_BYTES) {
            w.close();
            open.remove(file);
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            w = null;
            size = 0;
        }
        if (w == null) {
            Files.createDirectories(file.getParent());
            w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            size = Files.size(file);
            open.put(file, w);
        }
        w.write(text);
        w.newLine();
        sizes.put(file, size + text.length() + 1);
        if (writer.getQueue().isEmpty()) {
            w.flush();
        }
    }

    private void flushAll() {
        for (BufferedWriter w : open.values()) {
            try {
                w.flush();
            } catch (IOException e) {
                LOG.warn("service trace files: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        if (writer.isShutdown()) {
            return;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("service trace files: lines still queued after 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The writer thread is done (or abandoned): the files are closed here.
        synchronized (open) {
            for (BufferedWriter w : open.values()) {
                try {
                    w.close();
                } catch (IOException e) {
                    LOG.warn("service trace files: {}", e.toString());
                }
            }
            open.clear();
        }
    }
}
