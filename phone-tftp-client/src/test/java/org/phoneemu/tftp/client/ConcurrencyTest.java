package org.phoneemu.tftp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.phoneemu.tftp.testing.InMemoryTftpServer;
import org.phoneemu.tftp.testing.TestFiles;

class ConcurrencyTest {

    @Test
    void thousandConcurrentDownloadsOnTwoEventLoops() throws Exception {
        EventLoopGroup serverGroup = new NioEventLoopGroup(2);
        EventLoopGroup clientGroup = new NioEventLoopGroup(2);
        byte[] file = TestFiles.content(3000);
        try (InMemoryTftpServer server = new InMemoryTftpServer(serverGroup, 500).put("SEP.cnf.xml", file).start()) {
            TftpClient client = new TftpClient(clientGroup);
            // Generous retries: 2000 sockets on loopback may overflow a receive queue now and then.
            TftpOptions o = TftpOptions.defaults().withTimeout(Duration.ofMillis(500)).withRetries(10)
                    .withMaxSize(TftpOptions.PHONE_CONFIG_MAX_SIZE);
            List<CompletableFuture<TftpResult>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                all.add(client.read(server.address(), "SEP.cnf.xml", i % 2 == 0 ? o : o.withBlockSize(1024).withTransferSize(true)));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
            TftpResult expected = new TftpResult.Received(file);
            assertThat(all).allSatisfy(f -> assertThat(f.join()).isEqualTo(expected));
            assertThat(server.requests.get()).isGreaterThanOrEqualTo(1000);
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
