package org.phoneemu.attack;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A TFTP server that misbehaves in one chosen way, for the attack suite: plain blocking sockets and a thread per
 * transfer, written independently of the project's TFTP code so that its bugs cannot hide the client's.
 * File-not-found is answered correctly in every mode (error 1), so the phone walks its usual names.
 */
final class HostileTftpServer implements AutoCloseable {
    enum Mode {
        /** Never answers anything. */
        SILENT,
        /** Serves the file, but waits {@link #TRICKLE_MILLIS} after each ACK: each block beats the phone's packet timeout. */
        TRICKLE,
        /** A file that never ends: full blocks for as long as they are acknowledged. */
        ENDLESS,
        /** Block 1 from the transfer port, everything after it from another port (a wrong transfer ID). */
        WRONG_TID,
        /** An OACK although the phone asked for no option, with a block size larger than any. */
        LYING_OACK,
        /** Each block sent three times. A correct phone still gets the file. */
        DUPLICATES,
        /** Block n+2 after the ACK of block n: the phone waits for a block that never comes. */
        OUT_OF_ORDER,
        /** Every request answered ERROR 1 with {@link #HOSTILE_MESSAGE}: an ESC sequence and a line that forges a result. */
        HOSTILE_ERROR
    }

    static final String HOSTILE_MESSAGE = "File \u001b[2J\u001b[32mnot found\nFORGED: Result: trusted";

    static final long TRICKLE_MILLIS = 150;

    private final Mode mode;
    private final Function<String, Optional<byte[]>> files;
    private final DatagramSocket socket;
    private final List<DatagramSocket> transfers = new CopyOnWriteArrayList<>();
    private final Thread listener;
    private volatile boolean closed;

    HostileTftpServer(Mode mode, InetAddress bind, Function<String, Optional<byte[]>> files) throws SocketException {
        this.mode = mode;
        this.files = files;
        this.socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        this.listener = new Thread(this::listen, "hostile-tftp-" + mode);
        listener.setDaemon(true);
        listener.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void listen() {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.SILENT || p.getLength() < 4 || buf[1] != 1) {
                continue;
            }
            int end = 2;
            while (end < p.getLength() && buf[end] != 0) {
                end++;
            }
            String name = new String(buf, 2, end - 2, StandardCharsets.ISO_8859_1);
            InetSocketAddress client = (InetSocketAddress) p.getSocketAddress();
            Thread t = new Thread(() -> serve(name, client), "hostile-tftp-transfer");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(String name, InetSocketAddress client) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(socket.getLocalAddress(), 0));
             DatagramSocket other = new DatagramSocket(new InetSocketAddress(socket.getLocalAddress(), 0))) {
            transfers.add(s);
            transfers.add(other);
            s.setSoTimeout(1000);
            if (mode == Mode.HOSTILE_ERROR) {
                send(s, error(1, HOSTILE_MESSAGE), client);
                return;
            }
            Optional<byte[]> file = mode == Mode.ENDLESS ? Optional.of(new byte[0]) : files.apply(name);
            if (file.isEmpty()) {
                send(s, error(1, "File not found"), client);
                return;
            }
            byte[] bytes = file.get();
            if (mode == Mode.LYING_OACK) {
                byte[] oack = "\0\6blksize\00065464\0".getBytes(StandardCharsets.ISO_8859_1);
                send(s, oack, client);
                awaitAck(s, 0);
                return;
            }
            int blocks = bytes.length / 512 + 1;
            for (int n = 1; mode == Mode.ENDLESS || n <= blocks; n++) {
                int block = mode == Mode.OUT_OF_ORDER && n > 1 ? n + 1 : n;
                byte[] data = mode == Mode.ENDLESS ? block(n, new byte[512], 0, 512)
                        : block(block, bytes, (block - 1) * 512, Math.max(0, Math.min(512, bytes.length - (block - 1) * 512)));
                DatagramSocket from = mode == Mode.WRONG_TID && n > 1 ? other : s;
                boolean acked = false;
                for (int attempt = 0; attempt < 3 && !acked && !closed; attempt++) {
                    int copies = mode == Mode.DUPLICATES ? 3 : 1;
                    for (int c = 0; c < copies; c++) {
                        send(from, data, client);
                    }
                    acked = awaitAck(s, n);
                }
                if (!acked) {
                    return;
                }
                if (mode == Mode.TRICKLE) {
                    Thread.sleep(TRICKLE_MILLIS);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the transfer is over
        }
    }

    /** True when an ACK of {@code block} (mod 65536) arrives within the socket timeout; false on timeout or ERROR. */
    private static boolean awaitAck(DatagramSocket s, int block) throws IOException {
        byte[] buf = new byte[600];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (p.getLength() >= 4 && buf[1] == 5) {
                return false;
            }
            if (p.getLength() >= 4 && buf[1] == 4 && (((buf[2] & 0xff) << 8) | (buf[3] & 0xff)) == (block & 0xffff)) {
                return true;
            }
        }
    }

    private static byte[] block(int n, byte[] bytes, int from, int length) {
        byte[] out = new byte[4 + length];
        out[1] = 3;
        out[2] = (byte) (n >> 8);
        out[3] = (byte) n;
        System.arraycopy(bytes, Math.min(from, bytes.length), out, 4, length);
        return out;
    }

    private static byte[] error(int code, String message) {
        byte[] m = message.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(new byte[] {0, 5, 0, (byte) code}, 4 + m.length + 1);
        System.arraycopy(m, 0, out, 4, m.length);
        return out;
    }

    private static void send(DatagramSocket s, byte[] packet, InetSocketAddress to) throws IOException {
        s.send(new DatagramPacket(packet, packet.length, to));
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        transfers.forEach(DatagramSocket::close);
    }
}
