package org.phoneemu.tvs.testing;

import org.phoneemu.core.testing.RequiredPeer;


import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server -WWW} as an independent HTTPS peer, run as a child process from the test. In -WWW mode it
 * serves files of its working directory and prints {@code FILE:<name>} for every GET it serves, which is how a
 * test proves a request was (or was never) sent.
 */
public final class OpenSslServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private OpenSslServer(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread pump = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "openssl-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Skips the calling test when {@code openssl} is missing, fails it under {@code CI=true} ({@link RequiredPeer}). */
    public static void requireOpenssl() {
        RequiredPeer.require(available(), "openssl (for openssl s_server)");
    }

    public static boolean available() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts {@code openssl s_server -WWW} with {@code pem} (key + certificate) serving {@code webRoot}. */
    public static OpenSslServer start(Path pem, Path webRoot) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = Loopback.closedPort();
            Process p = new ProcessBuilder(List.of("openssl", "s_server", "-accept", Integer.toString(port),
                    "-cert", pem.toString(), "-key", pem.toString(), "-WWW"))
                    .directory(webRoot.toFile()).redirectErrorStream(true).start();
            OpenSslServer s = new OpenSslServer(p, port);
            if (Loopback.awaitListening(port, Duration.ofSeconds(10)) && p.isAlive()) {
                return s;
            }
            last = new IOException("openssl s_server did not listen on " + port + ": " + s.output());
            s.close();
        }
        throw last;
    }

    public int port() {
        return port;
    }

    /** Everything openssl printed so far (stdout and stderr). */
    public String output() {
        return output.toString();
    }

    /**
     * What openssl printed once it has printed {@code text} (its output is read by a thread of its own, so a line
     * about a request may come after the answer did), or what it printed at the bound, a hang guard.
     */
    public String awaitOutput(String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!output().contains(text) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return output();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
