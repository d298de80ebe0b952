package org.phoneemu.fleet;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.phoneemu.tftp.client.TftpClient;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tftp.client.TftpResult;

/**
 * Before a fleet starts: does any of its TFTP servers answer at all? One read of {@code ITLFile.tlv} per server;
 * any answer (the file, "not found", an error packet, blocks too slow to finish within the probe's deadline) counts. A fleet against a dead address then ends in a
 * couple of seconds with one line, instead of thousands of phones timing out.
 */
final class TftpProbe {
    private TftpProbe() {
    }

    /** Completes with the first server that answered, or empty when none did. */
    public static CompletableFuture<Optional<InetSocketAddress>> firstAnswering(EventLoopGroup group, List<InetSocketAddress> servers,
                                                                               Duration timeout, int retries) {
        TftpClient client = new TftpClient(group);
        // A server that trickles its blocks, or sends a file that never ends, has answered: the probe stops waiting
        // at a deadline of its own, shorter than any caller's, and counts it (the phones then say what went wrong).
        TftpOptions options = TftpOptions.defaults().withTimeout(timeout).withRetries(retries)
                .withDeadline(timeout.multipliedBy(retries + 2L));
        List<CompletableFuture<Optional<InetSocketAddress>>> probes = new ArrayList<>();
        for (InetSocketAddress s : servers) {
            probes.add(client.read(s, "ITLFile.tlv", options)
                    .handle((r, e) -> e == null && !(r instanceof TftpResult.TimedOut) ? Optional.of(s) : Optional.<InetSocketAddress>empty()));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                .thenApply(v -> probes.stream().map(CompletableFuture::join).flatMap(Optional::stream).findFirst());
    }
}
