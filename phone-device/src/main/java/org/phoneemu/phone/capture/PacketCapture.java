package org.phoneemu.phone.capture;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.pcap.PcapWriteHandler;
import org.phoneemu.tls.client.TlsConnections;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A pcap file of the phones' traffic: every TFTP transfer (UDP), TVS, HTTPS and CAPF connection (TCP, TLS still
 * encrypted) gets Netty's {@link PcapWriteHandler} at the head of its pipeline, all writing into one file. The handlers run on
 * event loops, so they only queue the bytes; a writer thread of its own puts them on disk.
 *
 * <p>With a second file for decrypted payloads, a connection whose pipeline has a TLS handler named {@code tls}
 * when the tap sees it also gets a handler right after it, which sees the plaintext: the TVS frames of the TVS
 * client, the HTTP request and response of the phone's HTTPS check, the CAPF messages of an enrolment (the three
 * build their pipeline before they connect, through {@link TlsConnections}). Each connection then shows in both files with the same addresses and ports.
 *
 * <pre>{@code
 * try (PacketCapture pcap = PacketCapture.open(Path.of("boot.pcap"))) {
 *     NettyPhoneNetwork network = new NettyPhoneNetwork(group, pcap);
 *     ...                                    // boot phones
 * }                                          // close: every queued packet is written
 * }</pre>
 */
public final class PacketCapture implements AutoCloseable {
    /** The name of the capture handler in a pipeline. */
    public static final String HANDLER = "pcap";
    /** The name of the handler that captures decrypted payloads, right after the TLS handler. */
    public static final String DECRYPTED_HANDLER = "pcap-decrypted";
    private static final byte[] END = new byte[0];

    private final Sink encrypted;
    private final Sink decrypted;

    private PacketCapture(Sink encrypted, Sink decrypted) {
        this.encrypted = encrypted;
        this.decrypted = decrypted;
    }

    /** Creates (or replaces) {@code file} with the pcap global header. */
    public static PacketCapture open(Path file) throws IOException {
        return new PacketCapture(Sink.open(file), null);
    }

    /** Also writes the decrypted TLS payloads (TVS frames, HTTP) to {@code decryptedFile}. */
    public static PacketCapture open(Path file, Path decryptedFile) throws IOException {
        Sink enc = Sink.open(file);
        try {
            return new PacketCapture(enc, Sink.open(decryptedFile));
        } catch (IOException e) {
            enc.close();
            throw e;
        }
    }

    /** {@code boot.pcap} gives {@code boot-decrypted.pcap}: the name says what it holds. */
    public static Path decryptedFileFor(Path file) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".pcap") ? name.substring(0, name.length() - 5) : name;
        return file.resolveSibling(base + "-decrypted.pcap");
    }

    public Path file() {
        return encrypted.file;
    }

    /**
     * Adds a capture handler at the head of {@code ch}'s pipeline (before the channel's first byte; Netty's handler
     * starts its TCP stream on the first byte if the channel is already active), and with a decrypted file one right
     * after the pipeline's {@code tls} handler.
     */
    public void tap(Channel ch) {
        ch.pipeline().addFirst(HANDLER, encrypted.handler());
        if (decrypted != null && !(ch instanceof DatagramChannel) && ch.pipeline().get(TlsConnections.TLS) != null) {
            ch.pipeline().addAfter(TlsConnections.TLS, DECRYPTED_HANDLER, decrypted.handler());
        }
    }

    /** Writes what is queued and closes the file(s); throws when a file could not be written. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Sink s : decrypted == null ? new Sink[] {encrypted} : new Sink[] {encrypted, decrypted}) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** One pcap file: a queue the handlers write into and the thread that puts it on disk. */
    private static final class Sink {
        private final Path file;
        private final QueuedOutput out = new QueuedOutput();
        private final Thread writer;
        private volatile IOException failure;

        private Sink(Path file, OutputStream disk) {
            this.file = file;
            this.writer = new Thread(() -> drain(disk), "pcap-writer");
            writer.setDaemon(true);
        }

        static Sink open(Path file) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            OutputStream disk = new BufferedOutputStream(Files.newOutputStream(file));
            PcapWriteHandler.writeGlobalHeader(disk);
            Sink s = new Sink(file, disk);
            s.writer.start();
            return s;
        }

        PcapWriteHandler handler() {
            return PcapWriteHandler.builder().sharedOutputStream(true).writePcapGlobalHeader(false).build(out);
        }

        private void drain(OutputStream disk) {
            try (disk) {
                while (true) {
                    byte[] b = out.queue.take();
                    if (b == END) {
                        return;
                    }
                    disk.write(b);
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() throws IOException {
            out.queue.add(END);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new IOException("cannot write " + file + ": " + failure.getMessage(), failure);
            }
        }
    }

    /**
     * What the handlers write into: a copy of each write goes to the queue, never to disk on the caller's thread.
     * Netty's handlers synchronize on it around each packet (header, then data), so packets never interleave.
     * Closing it does nothing: the capture ends with {@link PacketCapture#close()}.
     */
    private static final class QueuedOutput extends OutputStream {
        final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

        @Override
        public void write(int b) {
            queue.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            queue.add(copy);
        }

        @Override
        public void close() {
            // The handlers of finished transfers close their stream; the shared file stays open.
        }
    }
}
