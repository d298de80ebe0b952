package org.phoneemu.tftp.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP relay between TFTP clients and a real TFTP server that drops, duplicates and delays (reorders) packets
 * in both directions, from a seeded {@link Random}. Clients see one address (the relay's front port) for the
 * request and for every transfer.
 *
 * <p>TIDs: the server answers each RRQ from a new port. The relay gives each client TID (address:port) its own
 * upstream socket, sends RRQs from it to the server's request port and everything else to the server port that
 * answered that upstream socket first; answers from any other server port (a second transfer started by a
 * duplicated RRQ) are dropped, as the real client would refuse them. Runs on one event-loop thread, so the random
 * sequence is not shared between threads.
 */
public final class LossyUdpRelay implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final InetSocketAddress server;
    private final Random random;
    private final double drop;
    private final double duplicate;
    private final double delay;
    private final Map<InetSocketAddress, Session> sessions = new HashMap<>();
    private Channel front;

    public final AtomicInteger forwarded = new AtomicInteger();
    public final AtomicInteger dropped = new AtomicInteger();
    public final AtomicInteger duplicated = new AtomicInteger();
    public final AtomicInteger delayed = new AtomicInteger();

    public LossyUdpRelay(InetSocketAddress server, long seed, double drop, double duplicate, double delay) {
        this.server = server;
        this.random = new Random(seed);
        this.drop = drop;
        this.duplicate = duplicate;
        this.delay = delay;
    }

    public LossyUdpRelay start() throws InterruptedException {
        front = bootstrap(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                fromClient(msg.sender(), msg.content());
            }
        }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) front.localAddress();
    }

    private Bootstrap bootstrap(ChannelHandler h) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(70_000)).handler(h);
    }

    /** One client TID: its upstream socket and the server transfer port it is paired with. */
    private final class Session {
        final InetSocketAddress client;
        final ChannelFuture upstream;
        InetSocketAddress serverTid;

        Session(InetSocketAddress client) {
            this.client = client;
            this.upstream = bootstrap(new SimpleChannelInboundHandler<DatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                    fromServer(Session.this, msg.sender(), msg.content());
                }
            }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
    }

    private void fromClient(InetSocketAddress client, ByteBuf content) {
        Session s = sessions.computeIfAbsent(client, Session::new);
        boolean request = content.readableBytes() >= 2
                && (content.getUnsignedShort(content.readerIndex()) == 1 || content.getUnsignedShort(content.readerIndex()) == 2);
        InetSocketAddress to = request ? server : s.serverTid;
        if (to == null) {
            dropped.incrementAndGet();
            return;
        }
        ByteBuf copy = content.retainedDuplicate();
        s.upstream.addListener(f -> {
            if (f.isSuccess()) {
                impair(s.upstream.channel(), copy, to);
            } else {
                copy.release();
            }
        });
    }

    private void fromServer(Session s, InetSocketAddress sender, ByteBuf content) {
        if (s.serverTid == null) {
            s.serverTid = sender;
        } else if (!s.serverTid.equals(sender)) {
            dropped.incrementAndGet();
            return;
        }
        impair(front, content.retainedDuplicate(), s.client);
    }

    /** Forwards {@code content} (owned) through {@code via} to {@code to}, maybe dropped, doubled or delayed. */
    private void impair(Channel via, ByteBuf content, InetSocketAddress to) {
        double r = random.nextDouble();
        if (r < drop) {
            dropped.incrementAndGet();
            content.release();
        } else if (r < drop + duplicate) {
            duplicated.incrementAndGet();
            via.writeAndFlush(new DatagramPacket(content.retainedDuplicate(), to));
            via.writeAndFlush(new DatagramPacket(content, to));
        } else if (r < drop + duplicate + delay) {
            delayed.incrementAndGet();
            long millis = 1 + random.nextInt(60);
            via.eventLoop().schedule(() -> { via.writeAndFlush(new DatagramPacket(content, to)); }, millis, TimeUnit.MILLISECONDS);
        } else {
            forwarded.incrementAndGet();
            via.writeAndFlush(new DatagramPacket(content, to));
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
