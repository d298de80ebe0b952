package org.phoneemu.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The client side of the servers' limit tests (net-limits, phone-web, phone-fleet): plain sockets from a chosen
 * loopback address, a request dripped a byte at a time, and waiting for a server-side count. A read waits at most
 * {@link #NEVER_MS}: longer means the server never closed, and the test fails.
 */
public final class LoopbackClient {
    /** A read that waits longer than this means the server never answered or closed. */
    public static final int NEVER_MS = 60_000;

    private LoopbackClient() {
    }

    /** A client socket from {@code from} (any 127/8 address is this machine) to {@code server}. */
    public static Socket connect(InetSocketAddress server, String from) throws IOException {
        Socket sock = new Socket();
        sock.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        sock.connect(server, 10_000);
        sock.setSoTimeout(NEVER_MS);
        return sock;
    }

    /**
     * Writes {@code text} a byte every 50 ms until the server closes the connection; true when it did before the
     * text ran out (a text that ran out would leave the request incomplete and the test would see no close).
     */
    public static boolean dripUntilClosed(Socket sock, String text) throws InterruptedException, IOException {
        OutputStream out = sock.getOutputStream();
        InputStream in = sock.getInputStream();
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException closed) {
                return true;
            }
            if (in.available() > 0) {
                break;
            }
            Thread.sleep(50);
            sock.setSoTimeout(1);
            try {
                if (in.read() == -1) {
                    return true;
                }
                break; // an answer arrived: not what the test expects
            } catch (SocketTimeoutException stillOpen) {
                // keep dripping
            } catch (IOException reset) {
                return true;
            } finally {
                sock.setSoTimeout(NEVER_MS);
            }
        }
        return false;
    }

    /** Waits until {@code done} holds (a server-side count that follows the client's sockets, a child's output). */
    public static void waitFor(BooleanSupplier done, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not reached within 2 minutes: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** As {@link #waitFor(BooleanSupplier, String)} for a condition that names itself. */
    public static void waitFor(BooleanSupplier done) throws InterruptedException {
        waitFor(done, "the condition");
    }
}
