package org.phoneemu.cucm.tftp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.net.ClientSlots;
import org.phoneemu.net.RateLimitedLog;
import org.phoneemu.cucm.net.internal.ServerSupport;
import org.phoneemu.tftp.packet.TftpError;
import org.phoneemu.tftp.packet.TftpErrorCode;
import org.phoneemu.tftp.packet.TftpOpcode;
import org.phoneemu.tftp.packet.TftpPacket;
import org.phoneemu.tftp.packet.TftpPacketCodec;
import org.phoneemu.tftp.packet.TftpPacketException;
import org.phoneemu.tftp.packet.TftpReadRequest;
import org.phoneemu.tftp.packet.TftpRequest;
import org.phoneemu.tftp.packet.TftpWriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's TFTP service (RFC 1350 read requests, options blksize/tsize/timeout of RFC 2347-2349). Each read
 * request gets a transfer on its own port (a new transfer ID), with retransmission on timeout, so any number
 * of phones download at once. Files come from the node's current {@link TftpDirectory}; a transfer keeps the
 * bytes it started with. Write requests and names with {@code /}, {@code \} or {@code ..} are refused with
 * error 2 (access violation), unknown files with error 1, malformed datagrams with error 4 (8 for bad options);
 * none of it disturbs other transfers. What a client can make it hold is capped by {@link Options}: transfers in
 * all and per client address, the honoured {@code timeout} option, the life of a transfer (docs/LIMITS.md).
 */
public final class TftpServer {
    private static final Logger LOG = LoggerFactory.getLogger(TftpServer.class);

    /**
     * What a client can make the server hold (docs/LIMITS.md).
     *
     * @param retransmitTimeout     wait for an ACK before sending the block again (a client's {@code timeout} option
     *                              overrides it, up to {@code maxClientTimeout})
     * @param maxRetransmissions    after this many unanswered sends the transfer is abandoned
     * @param maxBlockSize          the largest {@code blksize} granted
     * @param maxTransfers          transfers in progress at once; beyond, requests get "server busy"
     * @param maxTransfersPerClient transfers in progress at once for one client address; beyond, that client's
     *                              requests get "server busy" while others are served
     * @param maxClientTimeout      the largest {@code timeout} option honoured; a larger one is left out of the OACK
     *                              (RFC 2349 lets a server decline the option) and {@code retransmitTimeout} applies
     * @param maxHold               the longest a transfer may exist, whatever the client does; then it is abandoned
     */
    public record Options(Duration retransmitTimeout, int maxRetransmissions, int maxBlockSize, int maxTransfers,
                          int maxTransfersPerClient, Duration maxClientTimeout, Duration maxHold) {
        public Options {
            if (maxBlockSize < 8 || maxBlockSize > 65_464) {
                throw new IllegalArgumentException("maxBlockSize must be 8..65464");
            }
            if (maxTransfers < 1 || maxTransfersPerClient < 1) {
                throw new IllegalArgumentException("maxTransfers and maxTransfersPerClient must be positive");
            }
            if (maxHold.isNegative() || maxHold.isZero() || maxClientTimeout.isNegative()) {
                throw new IllegalArgumentException("maxHold must be positive and maxClientTimeout not negative");
            }
        }

        /**
         * 1 s retransmission, 5 retransmissions, 4,096 transfers (512 per client address: a lab boots many phones
         * from one address), {@code timeout} option honoured up to 5 s, no transfer older than 60 s.
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(1), 5, 65_464, 4096, 512, Duration.ofSeconds(5), Duration.ofSeconds(60));
        }

        public Options withRetransmission(Duration timeout, int retransmissions) {
            return new Options(timeout, retransmissions, maxBlockSize, maxTransfers, maxTransfersPerClient, maxClientTimeout, maxHold);
        }

        public Options withTransfers(int total, int perClient) {
            return new Options(retransmitTimeout, maxRetransmissions, maxBlockSize, total, perClient, maxClientTimeout, maxHold);
        }

        public Options withMaxClientTimeout(Duration max) {
            return new Options(retransmitTimeout, maxRetransmissions, maxBlockSize, maxTransfers, maxTransfersPerClient, max, maxHold);
        }

        public Options withMaxHold(Duration max) {
            return new Options(retransmitTimeout, maxRetransmissions, maxBlockSize, maxTransfers, maxTransfersPerClient, maxClientTimeout, max);
        }
    }

    private final EventLoopGroup group;
    private final InetSocketAddress bindAddress;
    private final Supplier<TftpDirectory> files;
    private final Options options;
    private final Consumer<String> trace;
    private final Set<Channel> transfers = ConcurrentHashMap.newKeySet();
    /** Transfers granted, from the request until the transfer's channel closes. */
    private final ClientSlots slots;
    private volatile Channel channel;
    private final RateLimitedLog busy = new RateLimitedLog(LOG, "\"Server busy\" refusals");
    private final RateLimitedLog noPort = new RateLimitedLog(LOG, "requests without a transfer port");
    private final RateLimitedLog errors = new RateLimitedLog(LOG, "TFTP socket errors");

    public TftpServer(EventLoopGroup group, InetSocketAddress bindAddress, Supplier<TftpDirectory> files, Options options,
                      Consumer<String> trace) {
        this.group = group;
        this.bindAddress = bindAddress;
        this.files = files;
        this.options = options;
        this.trace = trace;
        this.slots = new ClientSlots(options.maxTransfers(), options.maxTransfersPerClient());
    }

    public CompletableFuture<InetSocketAddress> bind() {
        EventLoop loop = group.next();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(() -> datagramChannel(loop))
                .option(ChannelOption.SO_REUSEADDR, true)
                // A request may carry options up to a full datagram; the default 2 KB buffer would cut it.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536))
                .handler(new Listener());
        var f = b.bind(bindAddress);
        channel = f.channel();
        return ServerSupport.bound(f, "TFTP", bindAddress);
    }

    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = ServerSupport.closed(channel);
        for (Channel t : transfers) {
            t.close();
        }
        return done;
    }

    /** Transfers in progress. */
    public int activeTransfers() {
        return transfers.size();
    }

    /** Linux's native datagram socket on an epoll loop, NIO's on any other. */
    private static DatagramChannel datagramChannel(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class) ? new EpollDatagramChannel() : new NioDatagramChannel();
    }

    static void send(Channel ch, TftpPacket packet, InetSocketAddress to) {
        // A lost datagram is the retransmission timer's business: no promise to allocate and complete per packet.
        ch.writeAndFlush(new DatagramPacket(TftpPacketCodec.encode(packet, ch.alloc()), to), ch.voidPromise());
    }

    /** The well-known port: read requests start transfers, everything else is answered with an error. */
    private final class Listener extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket dgram) {
            InetSocketAddress from = dgram.sender();
            TftpPacket packet;
            try {
                packet = TftpPacketCodec.decode(dgram.content());
            } catch (TftpPacketException e) {
                malformed(ctx.channel(), dgram.content(), from, e);
                return;
            }
            if (packet instanceof TftpReadRequest rrq) {
                read(ctx.channel(), rrq, from);
            } else if (packet instanceof TftpWriteRequest wrq) {
                trace.accept("WRQ " + FileNames.forTrace(wrq.filename()) + " from " + address(from) + " refused: the TFTP directory is read-only");
                send(ctx.channel(), new TftpError(TftpErrorCode.ACCESS_VIOLATION, "Access violation: write requests are not allowed"), from);
            } else if (packet.opcode() == TftpOpcode.ERROR) {
                LOG.debug("TFTP {}: ERROR on the request port ignored: {}", address(from), packet);
            } else {
                send(ctx.channel(), TftpError.of(TftpErrorCode.UNKNOWN_TRANSFER_ID), from);
            }
        }

        private void malformed(Channel ch, ByteBuf content, InetSocketAddress from, TftpPacketException e) {
            String m = "malformed datagram of " + content.readableBytes() + " bytes from " + address(from) + ": " + e.getMessage();
            trace.accept(m);
            LOG.debug("TFTP {}", m); // any client can send these at will: the trace has each one
            if (content.readableBytes() >= 2 && content.getUnsignedShort(content.readerIndex()) == TftpOpcode.ERROR.code()) {
                return; // never answer an error with an error
            }
            TftpErrorCode code = e.reason() == TftpPacketException.Reason.BAD_OPTION
                    ? TftpErrorCode.OPTION_NEGOTIATION_FAILED : TftpErrorCode.ILLEGAL_OPERATION;
            send(ch, new TftpError(code, code.description() + ": " + e.getMessage()), from);
        }

        private void read(Channel ch, TftpReadRequest rrq, InetSocketAddress from) {
            String name = rrq.filename();
            if (!FileNames.safe(name)) {
                trace.accept("RRQ " + FileNames.forTrace(name) + " from " + address(from) + " refused: a path, not a file name");
                send(ch, new TftpError(TftpErrorCode.ACCESS_VIOLATION, "Access violation: " + name), from);
                return;
            }
            boolean netascii = TftpRequest.MODE_NETASCII.equals(rrq.mode());
            if (!netascii && !TftpRequest.MODE_OCTET.equals(rrq.mode())) {
                send(ch, new TftpError(TftpErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: mode " + rrq.mode()), from);
                return;
            }
            TftpFile file = files.get().get(name).orElse(null);
            if (file == null) {
                trace.accept("RRQ " + FileNames.forTrace(name) + " from " + address(from) + ": File not found");
                send(ch, TftpError.of(TftpErrorCode.FILE_NOT_FOUND), from);
                return;
            }
            if (!slots.tryTake(from.getAddress())) {
                busy.warn(address(from), "TFTP: server busy, request for " + name + " from " + address(from) + " refused");
                send(ch, new TftpError(TftpErrorCode.NOT_DEFINED, "Server busy, try again later"), from);
                return;
            }
            byte[] bytes = netascii ? Netascii.encode(file.bytes()) : file.bytes();
            Map<String, String> requested = rrq.options();
            Transfer transfer = new Transfer(file.name(), bytes, requested, from, options, trace, LOG);
            Bootstrap b = new Bootstrap()
                    .group(ch.eventLoop())
                    .channelFactory(() -> datagramChannel(ch.eventLoop()))
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048))
                    .handler(transfer);
            b.bind(new InetSocketAddress(bindAddress.getAddress(), 0)).addListener((io.netty.channel.ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    slots.release(from.getAddress());
                    noPort.warn(address(from), "TFTP: cannot open a transfer port for " + address(from) + ": " + f.cause());
                    send(ch, new TftpError(TftpErrorCode.NOT_DEFINED, "Server error: no transfer port"), from);
                    return;
                }
                transfers.add(f.channel());
                f.channel().closeFuture().addListener(x -> {
                    transfers.remove(f.channel());
                    slots.release(from.getAddress());
                });
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.warn(bindAddress.toString(), "TFTP " + bindAddress + ": " + cause);
        }
    }

    static String address(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
