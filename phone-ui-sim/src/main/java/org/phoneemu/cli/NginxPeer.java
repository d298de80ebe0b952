package org.phoneemu.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;

/**
 * Debian's nginx serving a folder on 127.0.0.1 over plain HTTP (the HTTP 6970 role, docs/PROTOCOLS.md §4) and, when
 * given a certificate, over HTTPS too (the 6971 role), where a request for {@code SEP<MAC>.cnf.xml.sgn} gets the
 * unsigned {@code SEP<MAC>.cnf.xml} (usecallmanager.nz's rewrite for HTTPS provisioning). Run as the current user with
 * its configuration, pid, logs and temp paths in {@code dir}; {@code bench fleet}'s HTTP row and the nginx interop
 * tests start it. {@link #close()} stops it.
 */
public final class NginxPeer implements AutoCloseable {
    /** Tries with other free ports when nginx could not listen (another process took a port in between). */
    private static final int ATTEMPTS = 5;

    private final Process process;
    private final int port;
    private final int httpsPort;
    private final Path dir;

    private NginxPeer(Process process, int port, int httpsPort, Path dir) {
        this.process = process;
        this.port = port;
        this.httpsPort = httpsPort;
        this.dir = dir;
    }

    /** Plain HTTP only, no access log (a benchmark's peer); empty when it did not listen within 10 s (its error log says why). */
    static Optional<NginxPeer> start(Path bin, Path root, Path dir) throws IOException, InterruptedException {
        return start(bin, root, dir, Optional.empty(), false);
    }

    /**
     * @param https     with a certificate and key: also an HTTPS server block presenting it
     * @param accessLog whether requests are logged to {@code dir/access.log} ({@link #accessLog()})
     * @return the running nginx; empty when it did not listen within 10 s on any of a few port choices
     */
    public static Optional<NginxPeer> start(Path bin, Path root, Path dir, Optional<KeyMaterial> https, boolean accessLog)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String d = dir.toAbsolutePath().toString();
        if (https.isPresent()) {
            Files.writeString(dir.resolve("tls.pem"), PemFiles.toPem(https.get().certificate()));
            Files.writeString(dir.resolve("tls.key"), PemFiles.toPem(https.get().privateKey()));
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort();
            int tlsPort = https.isPresent() ? freePort() : 0;
            String tlsServer = https.isEmpty() ? "" : """
                      server {
                        listen 127.0.0.1:%1$d ssl backlog=4096;
                        ssl_certificate %2$s/tls.pem;
                        ssl_certificate_key %2$s/tls.key;
                        root %3$s;
                        location ~ "^/(SEP[0-9A-F]{12}\\.cnf\\.xml)\\.sgn$" { try_files /$1 =404; }
                      }
                    """.formatted(tlsPort, d, root.toAbsolutePath());
            String conf = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 4096; }
                    http {
                      access_log %4$s;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      default_type application/octet-stream;
                      server { listen 127.0.0.1:%2$d backlog=4096; root %3$s; }
                    %5$s}
                    """.formatted(d, port, root.toAbsolutePath(), accessLog ? d + "/access.log" : "off", tlsServer);
            Path file = dir.resolve("nginx.conf");
            Files.writeString(file, conf);
            Process p = new ProcessBuilder(List.of(bin.toString(), "-p", d, "-c", file.toString(), "-e", d + "/error.log"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            NginxPeer peer = new NginxPeer(p, port, tlsPort, dir);
            if (peer.listening()) {
                return Optional.of(peer);
            }
            peer.close();
        }
        return Optional.empty();
    }

    private boolean listening() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until && process.isAlive()) {
            if (accepts(port) && (httpsPort == 0 || accepts(httpsPort))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The plain HTTP port. */
    public int port() {
        return port;
    }

    /** The HTTPS port; 0 when started without a certificate. */
    public int httpsPort() {
        return httpsPort;
    }

    /** The requests logged so far (empty when started without an access log). */
    public String accessLog() throws IOException {
        Path f = dir.resolve("access.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
