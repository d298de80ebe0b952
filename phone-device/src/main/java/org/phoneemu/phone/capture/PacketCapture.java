package org.phoneemu.phone.capture;

import io.netty.channel.Channel;
import io.netty.handler.pcap.PcapWriteHandler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A pcap file of the phones' traffic: every TFTP transfer (UDP) and TVS connection (TCP, TLS still encrypted)
 * gets Netty's {@link PcapWriteHandler} at the head of its pipeline, all writing into one file. The handlers run on
 * event loops, so they only queue the bytes; a writer thread of its own puts them on disk.
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
    private static final byte[] END = new byte[0];

    private final Path file;
    private final QueuedOutput out;
    private final Thread writer;
    private volatile IOException failure;

    private PacketCapture(Path file, OutputStream disk) {
        this.file = file;
        this.out = new QueuedOutput();
        this.writer = new Thread(() -> drain(disk), "pcap-writer");
        writer.setDaemon(true);
    }

    /** Creates (or replaces) {@code file} with the pcap global header. */
    public static PacketCapture open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream disk = new BufferedOutputStream(Files.newOutputStream(file));
        PcapWriteHandler.writeGlobalHeader(disk);
        PacketCapture c = new PacketCapture(file, disk);
        c.writer.start();
        return c;
    }

    public Path file() {
        return file;
    }

    /** Adds a capture handler at the head of {@code ch}'s pipeline; call it before the channel is active. */
    public void tap(Channel ch) {
        ch.pipeline().addFirst(HANDLER, PcapWriteHandler.builder().sharedOutputStream(true).writePcapGlobalHeader(false).build(out));
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

    /** Writes what is queued and closes the file; throws when the file could not be written. */
    @Override
    public void close() throws IOException {
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
