package org.phoneemu.tftp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.tftp.testing.InMemoryTftpServer;
import org.phoneemu.tftp.testing.TestFiles;

/**
 * A transfer's channel is bound to the address its packets leave from, not the wildcard: its local address is the
 * client address the server sees (what a packet capture of the channel then shows).
 */
class TransferAddressTest {
    static final byte[] FILE = TestFiles.content(3 * 512 + 7);
    static EventLoopGroup serverGroup;
    static EventLoopGroup clientGroup;
    InMemoryTftpServer server;
    final List<Channel> channels = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void groups() {
        serverGroup = new NioEventLoopGroup(1);
        clientGroup = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stopGroups() {
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void start() throws Exception {
        server = new InMemoryTftpServer(serverGroup, 1000).put("f.bin", FILE).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theTransfersChannelIsBoundToTheAddressTheServerSees() throws Exception {
        TftpClient client = new TftpClient(clientGroup, channels::add);
        for (int i = 0; i < 2; i++) {
            assertThat(client.read(server.address(), "f.bin", TftpOptions.defaults()).get(2, TimeUnit.MINUTES))
                    .isEqualTo(new TftpResult.Received(FILE));
        }
        assertThat(channels).hasSize(2);
        for (int i = 0; i < 2; i++) {
            InetSocketAddress local = (InetSocketAddress) channels.get(i).localAddress();
            assertThat(local.getAddress().isAnyLocalAddress()).as("bound to " + local).isFalse();
            assertThat(local).isEqualTo(server.transfers.get(i).client);
        }
    }

    @Test
    void aSourceAddressThatCannotBeBoundFallsBackToTheWildcardAndIsLookedUpAgain() throws Exception {
        RouteSources routes = new RouteSources();
        // TEST-NET-3: not an address of this host, so it cannot be bound.
        InetAddress gone = InetAddress.getByName("203.0.113.77");
        routes.remember(server.address().getAddress(), gone);
        TftpClient client = new TftpClient(clientGroup, channels::add, routes);

        assertThat(client.read(server.address(), "f.bin", TftpOptions.defaults()).get(2, TimeUnit.MINUTES))
                .isEqualTo(new TftpResult.Received(FILE));
        assertThat(routes.towards(server.address().getAddress())).isNotEqualTo(gone)
                .isEqualTo(server.transfers.get(0).client.getAddress());
        assertThat(client.read(server.address(), "f.bin", TftpOptions.defaults()).get(2, TimeUnit.MINUTES))
                .isEqualTo(new TftpResult.Received(FILE));
        assertThat(((InetSocketAddress) channels.get(channels.size() - 1).localAddress()).getAddress())
                .isEqualTo(server.transfers.get(1).client.getAddress());
    }
}
