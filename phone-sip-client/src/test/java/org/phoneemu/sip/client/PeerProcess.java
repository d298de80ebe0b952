package org.phoneemu.sip.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An independent peer program an interop test starts (Kamailio, {@code openssl s_server}): its output is collected as it
 * comes, and it is ready once it accepts TCP connections on its loopback port. {@link #close()} stops it.
 */
final class PeerProcess implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private PeerProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** A loopback port free right now, for a peer to listen on. */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts the program (its standard error joined to its output) and returns once it listens on 127.0.0.1:{@code port};
     * fails the test with its output when it exits first or does not listen within 30 s.
     */
    static PeerProcess start(String name, ProcessBuilder program, int port) throws IOException, InterruptedException {
        PeerProcess peer = new PeerProcess(name, program.redirectErrorStream(true).start(), port);
        Thread pump = new Thread(peer::collectOutput, name + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            peer.awaitListening();
        } catch (AssertionError | InterruptedException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void collectOutput() {
        try (InputStream in = process.getInputStream()) {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                // byte for byte: a chunk may end inside a multi-byte character; the lines tests look for are ASCII
                output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return; // the probe's aborted handshake leaves a TLS server accepting the next connection
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError(name + " did not listen on " + port + " within " + READY_WITHIN.toSeconds() + " s:\n" + output);
    }

    /** The loopback port it listens on. */
    int port() {
        return port;
    }

    /** All the program wrote so far. */
    String output() {
        return output.toString();
    }

    /** How many times {@code what} stands in the output so far. */
    int count(String what) {
        String text = output();
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Waits until {@code text} stands in the output, the program ends, or {@code within} passes (the output reaches the test
     * through a pipe, after the peer acted); the caller asserts on {@link #output()} afterwards.
     */
    void awaitOutput(String text, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!output().contains(text) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /**
     * Waits until {@code what} stands at least {@code times} times in the output, the program ends, or {@code within}
     * passes, and returns the count then: a line the peer wrote reaches the test through a pipe some time after the peer
     * answered, so a count read at once can miss it. The caller asserts the exact count.
     */
    int awaitCount(String what, int times, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (count(what) < times && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return count(what);
    }

    /** The program's standard input. */
    OutputStream input() {
        return process.getOutputStream();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
