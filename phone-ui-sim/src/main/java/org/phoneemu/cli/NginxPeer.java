package org.phoneemu.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx serving a folder over plain HTTP on 127.0.0.1 (the HTTP 6970 role, docs/PROTOCOLS.md §4), for
 * {@code bench fleet}'s HTTP row: run as the current user with its configuration, pid, logs and temp paths in
 * {@code dir}. {@link #close()} stops it.
 */
final class NginxPeer implements AutoCloseable {
    private final Process process;
    private final int port;

    private NginxPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts nginx on a free port; empty when it did not listen within 10 s (its error log says why). */
    static java.util.Optional<NginxPeer> start(Path bin, Path root, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String d = dir.toAbsolutePath().toString();
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  default_type application/octet-stream;
                  server { listen 127.0.0.1:%2$d backlog=4096; root %3$s; }
                }
                """.formatted(d, port, root.toAbsolutePath());
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(List.of(bin.toString(), "-p", d, "-c", file.toString(), "-e", d + "/error.log"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxPeer peer = new NginxPeer(p, port);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until && p.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return java.util.Optional.of(peer);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        peer.close();
        return java.util.Optional.empty();
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
