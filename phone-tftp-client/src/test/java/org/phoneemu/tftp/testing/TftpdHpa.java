package org.phoneemu.tftp.testing;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.phoneemu.core.testing.RequiredPeer;
import org.phoneemu.tftp.packet.TftpOpcode;
import org.phoneemu.tftp.packet.TftpPacket;
import org.phoneemu.tftp.packet.TftpPacketCodec;
import org.phoneemu.tftp.packet.TftpReadRequest;

/**
 * tftpd-hpa ({@code in.tftpd}) started as a child process in the foreground ({@code -L}) on 127.0.0.1 and a free
 * port, serving one directory. {@link #close()} ends it and the per-transfer children it forked.
 */
public final class TftpdHpa implements AutoCloseable {
    private final Process process;
    private final InetSocketAddress address;
    private final Path log;

    private TftpdHpa(Process process, InetSocketAddress address, Path log) {
        this.process = process;
        this.address = address;
        this.log = log;
    }

    /** Skips (or fails with CI=true, see {@link RequiredPeer}) when tftpd-hpa is not installed, else starts it. */
    public static TftpdHpa startOrSkip(Path dir, String... extraArgs) throws IOException, InterruptedException {
        Path bin = RequiredPeer.requireProgram("tftpd-hpa (in.tftpd)", "in.tftpd", "/usr/sbin/in.tftpd");
        return start(bin, dir, extraArgs);
    }

    /** Writes a file tftpd-hpa will serve (it serves only world-readable files unless -p is given). */
    public static void writeServed(Path dir, String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static TftpdHpa start(Path bin, Path dir, String... extraArgs) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freeUdpPort();
            List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-L", "-a", "127.0.0.1:" + port,
                    "-s", dir.toString(), "-u", System.getProperty("user.name")));
            cmd.addAll(List.of(extraArgs));
            Path log = Files.createTempFile("tftpd-hpa", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            TftpdHpa server = new TftpdHpa(p, address, log);
            if (server.answers()) {
                return server;
            }
            last = new IOException("tftpd-hpa did not answer on " + address + " (" + String.join(" ", cmd) + "): "
                    + Files.readString(log));
            server.close();
        }
        throw last;
    }

    /** Sends an RRQ for a file that does not exist until tftpd-hpa answers (ERROR 1), for up to 5 s. */
    private boolean answers() throws IOException, InterruptedException {
        byte[] rrq = TftpPacketCodec.toBytes(new TftpReadRequest("no-such-file-probe"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(200);
            while (System.nanoTime() < deadline && process.isAlive()) {
                s.send(new DatagramPacket(rrq, rrq.length, address));
                DatagramPacket in = new DatagramPacket(new byte[600], 600);
                try {
                    s.receive(in);
                    TftpPacket answer = TftpPacketCodec.decode(Unpooled.wrappedBuffer(in.getData(), 0, in.getLength()));
                    return answer.opcode() == TftpOpcode.ERROR;
                } catch (SocketTimeoutException e) {
                    // not up yet
                } catch (Exception e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** What tftpd-hpa printed (it logs to syslog, so this is usually empty). */
    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
