package org.phoneemu.tftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.phoneemu.tftp.testing.InMemoryTftpServer;
import org.phoneemu.tftp.testing.TestFiles;

/** On an epoll group the client reads over Linux's native datagram sockets; on an NIO group over NIO's. */
class EpollTransportTest {

    @Test
    void readsOverNativeDatagramSocketsOnAnEpollGroup() throws Exception {
        if (System.getenv("CI") == null) {
            assumeTrue(Epoll.isAvailable(), "no native epoll here");
        }
        assertThat(Epoll.isAvailable()).as("native epoll: %s", Epoll.unavailabilityCause()).isTrue();
        EventLoopGroup serverGroup = new NioEventLoopGroup(1);
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        byte[] file = TestFiles.content(3000);
        Set<Class<?>> channels = ConcurrentHashMap.newKeySet();
        try (InMemoryTftpServer server = new InMemoryTftpServer(serverGroup, 500).put("SEP.cnf.xml", file).start()) {
            TftpClient client = new TftpClient(clientGroup, (Channel ch) -> channels.add(ch.getClass()));
            TftpOptions o = TftpOptions.defaults().withTimeout(Duration.ofMillis(500)).withRetries(10)
                    .withMaxSize(TftpOptions.PHONE_CONFIG_MAX_SIZE);
            List<CompletableFuture<TftpResult>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(client.read(server.address(), "SEP.cnf.xml", i % 2 == 0 ? o : o.withBlockSize(1024).withTransferSize(true)));
            }
            all.add(client.read(server.address(), "missing.tlv", o));
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
            assertThat(all.subList(0, 200)).allSatisfy(f -> assertThat(f.join()).isEqualTo(new TftpResult.Received(file)));
            assertThat(all.get(200).join()).isInstanceOf(TftpResult.FileNotFound.class);
            assertThat(channels).containsExactly(EpollDatagramChannel.class);
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void readsOverNioOnAnNioGroup() throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        Set<Class<?>> channels = ConcurrentHashMap.newKeySet();
        try (InMemoryTftpServer server = new InMemoryTftpServer(group, 500).put("SEP.cnf.xml", TestFiles.content(700)).start()) {
            TftpClient client = new TftpClient(group, (Channel ch) -> channels.add(ch.getClass()));
            TftpResult r = client.read(server.address(), "SEP.cnf.xml", TftpOptions.defaults()).get(20, TimeUnit.SECONDS);
            assertThat(r).isEqualTo(new TftpResult.Received(TestFiles.content(700)));
            assertThat(channels).containsExactly(NioDatagramChannel.class);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
