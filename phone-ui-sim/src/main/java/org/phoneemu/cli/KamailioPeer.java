package org.phoneemu.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;

/**
 * Kamailio as the TLS registrar of {@code bench fleet}'s registration row: its own configuration (a client certificate
 * required and verified against {@code caList}), {@code server} as its certificate, a free loopback port.
 */
final class KamailioPeer implements AutoCloseable {
    private final Process process;
    private final int port;

    private KamailioPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Kamailio's TLS module folder (Debian package kamailio-tls-modules), if installed. */
    static Optional<Path> modules() {
        for (String base : List.of("/usr/lib/x86_64-linux-gnu/kamailio/modules", "/usr/lib/aarch64-linux-gnu/kamailio/modules",
                "/usr/lib/kamailio/modules", "/usr/lib64/kamailio/modules")) {
            if (Files.exists(Path.of(base, "tls.so"))) {
                return Optional.of(Path.of(base));
            }
        }
        return Optional.empty();
    }

    /** Starts Kamailio; empty when it did not listen within 30 s (its output, in {@code dir/kamailio.log}, says why). */
    static Optional<KamailioPeer> start(Path bin, Path modules, Path dir, KeyMaterial server, List<KeyMaterial> caList)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("server.pem"), PemFiles.toPem(server.certificate()));
        Files.writeString(dir.resolve("server.key"), PemFiles.toPem(server.privateKey()));
        StringBuilder ca = new StringBuilder();
        for (KeyMaterial k : caList) {
            ca.append(PemFiles.toPem(k.certificate()));
        }
        Files.writeString(dir.resolve("ca.pem"), ca);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String cfg;
        try (InputStream in = KamailioPeer.class.getResourceAsStream("/kamailio/bench-registrar.cfg")) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path config = dir.resolve("registrar.cfg");
        Files.writeString(config, cfg.replace("@DIR@", dir.toAbsolutePath().toString()).replace("@PORT@", Integer.toString(port))
                .replace("@MPATH@", modules + "/"));
        // -m: shared memory in MB. Kamailio's 64 MB default is small for OpenSSL 3 with thousands of TLS connections
        // open (its low-memory guard then fails TLS operations without a log line at the bench's level).
        Process p = new ProcessBuilder(bin.toString(), "-f", config.toString(), "-m", "512", "-DD", "-E", "-Y", dir.toAbsolutePath().toString(),
                "-P", dir.resolve("kamailio.pid").toAbsolutePath().toString(), "-w", dir.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
        KamailioPeer peer = new KamailioPeer(p, port);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until && p.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return Optional.of(peer);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        peer.close();
        return Optional.empty();
    }

    /** How many ERROR lines Kamailio wrote to {@code log}; 0 when it cannot be read. */
    static long errorLines(Path log) {
        try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(" ERROR: ")).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
