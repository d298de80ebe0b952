package org.phoneemu.cucm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS 1.3 client that sends its first request in the same TCP write as the end of its handshake (its Finished), so the
 * server reads both at once: a server's request deadline, armed when its handshake ends, cannot run out on a legitimate
 * client that a busy machine slowed between the two. Tests of that deadline then time only what the attacker never sends.
 */
final class FirstRequestWithHandshake {
    private FirstRequestWithHandshake() {
    }

    /**
     * Connects from {@code from} ({@code null}: any) with a receive buffer of {@code receiveBuffer} bytes (0: the default),
     * handshakes, sends {@code request}, and returns the connection.
     */
    static SSLSocket send(InetSocketAddress server, InetAddress from, int receiveBuffer, byte[] request) throws Exception {
        HoldingSocket raw = new HoldingSocket();
        if (receiveBuffer > 0) {
            raw.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            raw.bind(new InetSocketAddress(from, 0));
        }
        raw.connect(server);
        SSLSocket s = (SSLSocket) TestTls.context().getSocketFactory().createSocket(raw, server.getHostString(), server.getPort(), true);
        s.setSoTimeout(60_000);
        // In TLS 1.3 the client's last flight needs no answer, so it can wait in the buffer for the request.
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        s.startHandshake();
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
        raw.out.release();
        return s;
    }

    /** A socket whose output, after the first flush (the ClientHello), is held until {@link HoldingStream#release}. */
    private static final class HoldingSocket extends Socket {
        private HoldingStream out;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new HoldingStream(super.getOutputStream());
            }
            return out;
        }
    }

    private static final class HoldingStream extends OutputStream {
        private final OutputStream socket;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private boolean written;
        private boolean helloSent;
        private boolean released;

        HoldingStream(OutputStream socket) {
            this.socket = socket;
        }

        private boolean holding() {
            return helloSent && !released;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            if (holding()) {
                held.write(b);
            } else {
                socket.write(b);
                written = true;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (holding()) {
                held.write(b, off, len);
            } else {
                socket.write(b, off, len);
                written |= len > 0;
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (!holding()) {
                socket.flush();
                helloSent = written;
            }
        }

        /** Writes what was held in one write, and everything after at once. */
        synchronized void release() throws IOException {
            released = true;
            socket.write(held.toByteArray());
            socket.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
