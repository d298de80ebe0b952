package org.phoneemu.tftp.client;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One TFTP read, as the boot sequence needs it. {@link TftpClient} does it over UDP; a prediction answers it from
 * the files a simulated cluster would serve, without a socket.
 */
@FunctionalInterface
public interface TftpReads {
    CompletableFuture<TftpResult> read(InetSocketAddress server, String filename, TftpOptions options);
}
