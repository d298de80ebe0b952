package org.phoneemu.tftp.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.phoneemu.tftp.packet.TftpErrorCode;
import org.phoneemu.tftp.packet.TftpOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TFTP reads (RFC 1350 octet mode, options RFC 2347/2348/2349) over Netty NIO UDP. Each read binds its own
 * ephemeral UDP port (the client transfer ID) on a channel of {@code group}, on the local address the server's route
 * leaves from ({@link RouteSources}); nothing blocks and no thread is created per transfer, so one group carries
 * thousands of concurrent downloads. Thread-safe.
 *
 * <p>The returned future completes on the transfer's event loop: dependent stages must not block. It completes
 * exceptionally only for local failures (no UDP port could be bound); every network outcome is a {@link TftpResult}.
 */
public final class TftpClient implements TftpReads {
    private static final Logger LOG = LoggerFactory.getLogger(TftpClient.class);

    private final EventLoopGroup group;
    private final Consumer<Channel> tap;
    private final RouteSources routes;

    /**
     * @param group an NIO group ({@code MultiThreadIoEventLoopGroup} with {@code NioIoHandler}, or {@code NioEventLoopGroup}),
     *              or an epoll one ({@code EpollIoHandler}: Linux's native datagram sockets, cheaper per packet)
     */
    public TftpClient(EventLoopGroup group) {
        this(group, ch -> { });
    }

    /**
     * @param tap called with each transfer's channel before it is bound, e.g. to add a packet capture handler at
     *            the head of its pipeline
     */
    public TftpClient(EventLoopGroup group, Consumer<Channel> tap) {
        this(group, tap, new RouteSources());
    }

    TftpClient(EventLoopGroup group, Consumer<Channel> tap, RouteSources routes) {
        this.group = Objects.requireNonNull(group, "group");
        this.tap = Objects.requireNonNull(tap, "tap");
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    /** Linux's native datagram socket on an epoll loop, NIO's on any other. */
    private static DatagramChannel datagramChannel(EventLoop loop, SocketProtocolFamily family) {
        return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)
                ? new EpollDatagramChannel(family) : new NioDatagramChannel(family);
    }

    /**
     * Downloads {@code filename} from {@code server} (its request port, normally 69). When the server answers the
     * offered options with ERROR 8 the download is tried once more without options (RFC 2347 allows that).
     */
    @Override
    public CompletableFuture<TftpResult> read(InetSocketAddress server, String filename, TftpOptions options) {
        Objects.requireNonNull(options, "options");
        CompletableFuture<TftpResult> first = readOnce(server, filename, options);
        if (options.requestOptions().isEmpty()) {
            return first;
        }
        return first.thenCompose(r -> {
            if (r instanceof TftpResult.ServerError e && e.code() == TftpErrorCode.OPTION_NEGOTIATION_FAILED.code()) {
                LOG.debug("{} refused options for {} ('{}'), asking again without", server, filename, e.message());
                return readOnce(server, filename, options.withoutNegotiation());
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    private CompletableFuture<TftpResult> readOnce(InetSocketAddress server, String filename, TftpOptions options) {
        Objects.requireNonNull(server, "server");
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("server address must be resolved: " + server);
        }
        return transfer(server, filename, options, routes.towards(server.getAddress()));
    }

    private CompletableFuture<TftpResult> transfer(InetSocketAddress server, String filename, TftpOptions options, InetAddress source) {
        ReadTransfer transfer = new ReadTransfer(server, filename, options);
        SocketProtocolFamily family = server.getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        // Larger than the largest legal DATA (header + block + 1): an oversized block arrives with its extra byte and
        // is refused, instead of being silently truncated into what would look like a short, last block.
        int blockSize = Math.max(options.blockSize(), TftpOption.DEFAULT_BLOCK_SIZE);
        int receiveSize = Math.max(blockSize + 4 + 1, 2048);
        EventLoop loop = group.next();
        ChannelFuture bind = new Bootstrap()
                .group(loop)
                .channelFactory(() -> datagramChannel(loop, family))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(receiveSize))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(transfer);
                        tap.accept(ch);
                    }
                })
                .bind(new InetSocketAddress(source, 0));
        bind.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                transfer.start(f.channel());
            } else if (!source.isAnyLocalAddress()) {
                // The address has gone since it was looked up: look again next time, let the kernel choose now.
                routes.forget(server.getAddress());
                LOG.debug("cannot bind {} for {} ({}), binding the wildcard address", source, filename, f.cause().toString());
                transfer(server, filename, options, RouteSources.wildcard(family == SocketProtocolFamily.INET6))
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                transfer.result.completeExceptionally(e);
                            } else {
                                transfer.result.complete(r);
                            }
                        });
            } else {
                transfer.result.completeExceptionally(f.cause());
            }
        });
        return transfer.result;
    }
}
