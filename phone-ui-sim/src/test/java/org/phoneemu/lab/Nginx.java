package org.phoneemu.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.testing.RequiredPeer;

/**
 * Debian's nginx started as a child of the test, as the current user, with a configuration written into the test's
 * own folder (pid, logs and temp paths there too): {@code root} served on an HTTP port (the 6970 role) and on an
 * HTTPS port (6971) with {@code tls} as its certificate, where a request for {@code SEP<MAC>.cnf.xml.sgn} gets the
 * unsigned {@code SEP<MAC>.cnf.xml} (usecallmanager.nz's rewrite for HTTPS provisioning).
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    private final int httpPort;
    private final int httpsPort;
    private final Path dir;

    private Nginx(Process process, int httpPort, int httpsPort, Path dir) {
        this.process = process;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.dir = dir;
    }

    /** Skips, or fails with CI=true ({@link RequiredPeer}), when nginx is not installed. */
    static Nginx start(Path dir, Path root, KeyMaterial tls) throws IOException, InterruptedException {
        Path bin = RequiredPeer.requireProgram("nginx (nginx-light)", "nginx", "/usr/sbin/nginx");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tls.pem"), PemFiles.toPem(tls.certificate()));
        // PKCS#8 as the JDK encodes it, which OpenSSL reads for EC and RSA keys alike.
        Files.writeString(dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(tls.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int http = freePort();
            int https = freePort();
            String d = dir.toAbsolutePath().toString();
            String conf = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 512; }
                    http {
                      access_log %1$s/access.log;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      default_type application/octet-stream;
                      server {
                        listen 127.0.0.1:%2$d;
                        root %4$s;
                      }
                      server {
                        listen 127.0.0.1:%3$d ssl;
                        ssl_certificate %1$s/tls.pem;
                        ssl_certificate_key %1$s/tls.key;
                        root %4$s;
                        location ~ "^/(SEP[0-9A-F]{12}\\.cnf\\.xml)\\.sgn$" { try_files /$1 =404; }
                      }
                    }
                    """.formatted(d, http, https, root.toAbsolutePath());
            Path file = dir.resolve("nginx.conf");
            Files.writeString(file, conf);
            Process p = new ProcessBuilder(List.of(bin.toString(), "-p", d, "-c", file.toString(), "-e", d + "/error.log"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Nginx n = new Nginx(p, http, https, dir);
            if (n.listening()) {
                return n;
            }
            last = new IOException("nginx did not listen on " + http + "/" + https + ": " + Files.readString(dir.resolve("stdout.log"))
                    + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            n.close();
        }
        throw last;
    }

    private boolean listening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (accepts(httpPort) && accepts(httpsPort)) {
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int httpPort() {
        return httpPort;
    }

    int httpsPort() {
        return httpsPort;
    }

    String accessLog() throws IOException {
        Path f = dir.resolve("access.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
