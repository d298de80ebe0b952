package org.phoneemu.tftp.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.phoneemu.tftp.packet.TftpAck;
import org.phoneemu.tftp.packet.TftpData;
import org.phoneemu.tftp.packet.TftpError;
import org.phoneemu.tftp.packet.TftpErrorCode;
import org.phoneemu.tftp.packet.TftpOption;
import org.phoneemu.tftp.packet.TftpOptionAck;
import org.phoneemu.tftp.packet.TftpPacket;
import org.phoneemu.tftp.packet.TftpPacketCodec;
import org.phoneemu.tftp.packet.TftpPacketException;
import org.phoneemu.tftp.packet.TftpReadRequest;

/**
 * A TFTP read server in memory, for tests: correct by default (new TID per transfer, blksize/tsize options,
 * retransmission on timeout, no Sorcerer's Apprentice), with switches that make it misbehave in one precise way.
 * Every transfer records what it received, so tests can count the client's packets.
 */
public final class InMemoryTftpServer implements AutoCloseable {

    /** The ways this server can misbehave. All off by default. */
    public static final class Behavior {
        public volatile boolean silent;
        public volatile boolean duplicateData;
        public volatile boolean ignoreOptions;
        public volatile boolean refuseOptions;
        public volatile boolean oackUnrequestedOption;
        public volatile boolean oversizedFirstBlock;
        public volatile boolean repeatLastData;
        /** Before sending this block, send a DATA packet from a stray port; -1 = never. */
        public volatile int strayPacketAtBlock = -1;
        /** Instead of this block, send a packet with opcode 9; -1 = never. */
        public volatile int bogusOpcodeAtBlock = -1;
        /** Drop the client's first ACK of every block this many times (forces client retransmission paths); 0 = never. */
        public volatile int ignoreFirstAcks;
        /** Wait this long after each ACK before sending the next block (a trickling server); 0 = never. */
        public volatile long trickleMillis;
    }

    /** What one transfer saw. */
    public static final class Transfer {
        public final InetSocketAddress client;
        public final TftpReadRequest request;
        public final List<TftpPacket> received = new CopyOnWriteArrayList<>();
        public final AtomicInteger dataSent = new AtomicInteger();
        public final AtomicInteger wraps = new AtomicInteger();
        public final List<TftpPacket> receivedByStray = new CopyOnWriteArrayList<>();
        public final List<InetSocketAddress> strayReplySenders = new CopyOnWriteArrayList<>();
        public volatile boolean done;

        Transfer(InetSocketAddress client, TftpReadRequest request) {
            this.client = client;
            this.request = request;
        }

        public long count(Class<? extends TftpPacket> type) {
            return received.stream().filter(type::isInstance).count();
        }
    }

    private final EventLoopGroup group;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    public final Behavior behavior = new Behavior();
    public final List<Transfer> transfers = new CopyOnWriteArrayList<>();
    public final AtomicInteger requests = new AtomicInteger();
    private final long retransmitMillis;
    private Channel listener;
    private final List<Channel> open = new CopyOnWriteArrayList<>();

    public InMemoryTftpServer(EventLoopGroup group, long retransmitMillis) {
        this.group = group;
        this.retransmitMillis = retransmitMillis;
    }

    public InMemoryTftpServer put(String name, byte[] content) {
        files.put(name, content);
        return this;
    }

    public InMemoryTftpServer start() throws InterruptedException {
        listener = bootstrap(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                onRequest(msg.sender(), msg.content());
            }
        }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    private Bootstrap bootstrap(ChannelHandler handler) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(70_000))
                .handler(handler);
    }

    private void onRequest(InetSocketAddress client, ByteBuf content) {
        requests.incrementAndGet();
        if (behavior.silent) {
            return;
        }
        TftpPacket p;
        try {
            p = TftpPacketCodec.decode(content);
        } catch (TftpPacketException e) {
            return;
        }
        if (!(p instanceof TftpReadRequest rrq)) {
            return;
        }
        Transfer t = new Transfer(client, rrq);
        transfers.add(t);
        byte[] file = files.get(rrq.filename());
        ServerTransfer handler = new ServerTransfer(t, file);
        bootstrap(handler).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).addListener(f -> {
            if (f.isSuccess()) {
                handler.begin(((ChannelFuture) f).channel());
            }
        });
    }

    /** One transfer on its own port (the server TID). Runs on its channel's event loop. */
    private final class ServerTransfer extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Transfer t;
        private final byte[] file;
        private Channel ch;
        private int blockSize = TftpOption.DEFAULT_BLOCK_SIZE;
        /** Number of the last block sent (not wrapped); 0 = OACK sent or nothing yet. */
        private long sent;
        private TftpPacket current;
        private int retransmits;
        private int ignoredAcks;
        private ScheduledFuture<?> timer;

        ServerTransfer(Transfer t, byte[] file) {
            this.t = t;
            this.file = file;
        }

        void begin(Channel channel) {
            this.ch = channel;
            open.add(channel);
            if (file == null) {
                send(TftpError.of(TftpErrorCode.FILE_NOT_FOUND), t.client);
                end();
                return;
            }
            Map<String, String> asked = t.request.options();
            if (!asked.isEmpty() && behavior.refuseOptions) {
                send(new TftpError(TftpErrorCode.OPTION_NEGOTIATION_FAILED, "no options here"), t.client);
                end();
                return;
            }
            if (!asked.isEmpty() && !behavior.ignoreOptions) {
                Map<String, String> oack = new LinkedHashMap<>();
                TftpOption.BLKSIZE.intValueIn(asked).ifPresent(b -> {
                    blockSize = b;
                    oack.put("blksize", Integer.toString(b));
                });
                if (asked.containsKey("tsize")) {
                    oack.put("tsize", Integer.toString(file.length));
                }
                if (asked.containsKey("timeout")) {
                    oack.put("timeout", asked.get("timeout"));
                }
                if (behavior.oackUnrequestedOption) {
                    oack.put("windowsize", "4");
                }
                if (!oack.isEmpty()) {
                    transmit(new TftpOptionAck(oack));
                    return;
                }
            }
            sendNextBlock();
        }

        private void sendNextBlock() {
            long index = sent; // 0-based index of the next block
            int from = (int) Math.min(index * blockSize, file.length);
            int len = Math.min(blockSize, file.length - from);
            sent++;
            int block = (int) (sent & 0xFFFF);
            if (block == 0) {
                t.wraps.incrementAndGet();
            }
            if (behavior.strayPacketAtBlock == block) {
                sendFromStray(TftpData.of(block, file, from, len));
            }
            if (behavior.bogusOpcodeAtBlock == block) {
                ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {0, 9, 0, (byte) block}), t.client));
                return;
            }
            if (behavior.oversizedFirstBlock && block == 1) {
                byte[] big = new byte[blockSize + 1];
                transmit(TftpData.of(1, big));
                return;
            }
            transmit(TftpData.of(block, file, from, len));
        }

        private void transmit(TftpPacket p) {
            current = p;
            retransmits = 0;
            ignoredAcks = 0;
            send(p, t.client);
            if (p instanceof TftpData && behavior.duplicateData) {
                send(p, t.client);
            }
            arm();
        }

        private void arm() {
            if (timer != null) {
                timer.cancel(false);
            }
            timer = ch.eventLoop().schedule(() -> {
                if (t.done || ++retransmits > 5) {
                    end();
                    return;
                }
                send(current, t.client);
                arm();
            }, retransmitMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            TftpPacket p;
            try {
                p = TftpPacketCodec.decode(msg.content());
            } catch (TftpPacketException e) {
                return;
            }
            t.received.add(p);
            if (t.done) {
                return;
            }
            if (p instanceof TftpError) {
                end();
                return;
            }
            if (!(p instanceof TftpAck ack)) {
                return;
            }
            int expected = (int) (sent & 0xFFFF);
            if (ack.block() != expected) {
                return; // duplicate ACK: never resend on it (no Sorcerer's Apprentice)
            }
            if (ignoredAcks < behavior.ignoreFirstAcks) {
                ignoredAcks++;
                return;
            }
            boolean lastWasShort = current instanceof TftpData d && d.length() < blockSize;
            if (lastWasShort) {
                if (behavior.repeatLastData) {
                    behavior.repeatLastData = false;
                    send(current, t.client);
                    ch.eventLoop().schedule(this::end, 300, TimeUnit.MILLISECONDS);
                    t.done = true;
                    timer.cancel(false);
                    return;
                }
                end();
                return;
            }
            if (behavior.trickleMillis > 0) {
                ch.eventLoop().schedule(() -> {
                    if (!t.done) {
                        sendNextBlock();
                    }
                }, behavior.trickleMillis, TimeUnit.MILLISECONDS);
            } else {
                sendNextBlock();
            }
        }

        private void sendFromStray(TftpPacket p) {
            bootstrap(new SimpleChannelInboundHandler<DatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                    t.strayReplySenders.add(msg.sender());
                    try {
                        t.receivedByStray.add(TftpPacketCodec.decode(msg.content()));
                    } catch (TftpPacketException e) {
                        // recorded as nothing
                    }
                }
            }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).addListener(f -> {
                Channel stray = ((ChannelFuture) f).channel();
                open.add(stray);
                stray.writeAndFlush(new DatagramPacket(TftpPacketCodec.encode(p, stray.alloc()), t.client));
            });
        }

        private void send(TftpPacket p, InetSocketAddress to) {
            if (p instanceof TftpData) {
                t.dataSent.incrementAndGet();
            }
            ch.writeAndFlush(new DatagramPacket(TftpPacketCodec.encode(p, ch.alloc()), to));
        }

        private void end() {
            t.done = true;
            if (timer != null) {
                timer.cancel(false);
            }
            // Keep the port open a little so late client packets are recorded instead of bouncing.
            ch.eventLoop().schedule(() -> { ch.close(); }, 500, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        List<Channel> all = new ArrayList<>(open);
        if (listener != null) {
            all.add(listener);
        }
        all.forEach(Channel::close);
    }
}
