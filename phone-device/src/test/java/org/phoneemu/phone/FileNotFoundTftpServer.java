package org.phoneemu.phone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A TFTP server on a loopback port that answers every read request with ERROR 1 "File not found" from the same socket
 * (the client takes any port of the server's address). {@link #close()} stops it.
 */
final class FileNotFoundTftpServer implements AutoCloseable {
    private final DatagramSocket socket;

    FileNotFoundTftpServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread answering = new Thread(this::answer, "tftp-file-not-found");
        answering.setDaemon(true);
        answering.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void answer() {
        byte[] message = "File not found".getBytes(StandardCharsets.US_ASCII);
        byte[] error = new byte[4 + message.length + 1];
        error[1] = 5;
        error[3] = 1;
        System.arraycopy(message, 0, error, 4, message.length);
        byte[] buffer = new byte[1024];
        try {
            while (true) {
                DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                socket.receive(request);
                if (request.getLength() >= 2 && buffer[1] == 1) {
                    socket.send(new DatagramPacket(error, error.length, request.getSocketAddress()));
                }
            }
        } catch (SocketException closed) {
            // the test closed the server
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
