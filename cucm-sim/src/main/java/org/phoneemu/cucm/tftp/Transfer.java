package org.phoneemu.cucm.tftp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.phoneemu.tftp.packet.TftpAck;
import org.phoneemu.tftp.packet.TftpData;
import org.phoneemu.tftp.packet.TftpError;
import org.phoneemu.tftp.packet.TftpErrorCode;
import org.phoneemu.tftp.packet.TftpOption;
import org.phoneemu.tftp.packet.TftpOptionAck;
import org.phoneemu.tftp.packet.TftpPacket;
import org.phoneemu.tftp.packet.TftpPacketCodec;
import org.phoneemu.tftp.packet.TftpPacketException;
import org.slf4j.Logger;

/**
 * One read transfer on its own port (its transfer ID). Lock-free: everything runs on the channel's event loop.
 * Lock-step as RFC 1350: send a block, wait for its ACK, retransmit on timeout; a duplicate ACK of an older block
 * is ignored (no Sorcerer's Apprentice). Datagrams from any other address get error 5 and change nothing.
 */
final class Transfer extends SimpleChannelInboundHandler<DatagramPacket> {
    private final String name;
    private final byte[] bytes;
    private final InetSocketAddress peer;
    private final TftpServer.Options options;
    private final Consumer<String> trace;
    private final Logger log;
    private final Map<String, String> accepted = new LinkedHashMap<>();
    private final int blockSize;
    private final long timeoutMillis;
    private final int lastBlock;
    private Channel channel;
    /** The block sent last: 0 while the OACK waits for its ACK. */
    private int block;
    private TftpPacket lastSent;
    private int sends;
    /** Pending timer task, if any; it may fire before {@link #deadline} and then re-arms itself (cheaper than a cancel and a new task per block). */
    private ScheduledFuture<?> timer;
    /** {@link System#nanoTime()} at which the block sent last counts as unanswered. */
    private long deadline;
    private ScheduledFuture<?> holdLimit;
    private boolean done;

    Transfer(String name, byte[] bytes, Map<String, String> requested, InetSocketAddress peer, TftpServer.Options options,
             Consumer<String> trace, Logger log) {
        this.name = name;
        this.bytes = bytes;
        this.peer = peer;
        this.options = options;
        this.trace = trace;
        this.log = log;
        OptionalInt blk = TftpOption.BLKSIZE.intValueIn(requested);
        int size = TftpOption.DEFAULT_BLOCK_SIZE;
        if (blk.isPresent()) {
            size = Math.min(blk.getAsInt(), options.maxBlockSize());
            accepted.put(TftpOption.BLKSIZE.wireName(), Integer.toString(size));
        }
        this.blockSize = size;
        OptionalLong tsize = TftpOption.TSIZE.valueIn(requested);
        if (tsize.isPresent()) {
            accepted.put(TftpOption.TSIZE.wireName(), Integer.toString(bytes.length));
        }
        OptionalInt timeout = TftpOption.TIMEOUT.intValueIn(requested);
        if (timeout.isPresent() && timeout.getAsInt() * 1000L > options.maxClientTimeout().toMillis()) {
            // RFC 2349: the OACK must echo the value or leave the option out; a long timer would let a client that
            // never ACKs hold this transfer for minutes, so the option is declined and the server's timer applies.
            timeoutMillis = options.retransmitTimeout().toMillis();
        } else if (timeout.isPresent()) {
            accepted.put(TftpOption.TIMEOUT.wireName(), Integer.toString(timeout.getAsInt()));
            timeoutMillis = timeout.getAsInt() * 1000L;
        } else {
            timeoutMillis = options.retransmitTimeout().toMillis();
        }
        // A file that is a whole number of blocks ends with an empty block.
        this.lastBlock = bytes.length / blockSize + 1;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        // Whatever the client does (ACK slowly, repeat an old ACK), the transfer ends at its hold limit.
        holdLimit = channel.eventLoop().schedule(this::holdLimitReached, options.maxHold().toMillis(), TimeUnit.MILLISECONDS);
        trace.accept("RRQ " + name + " from " + TftpServer.address(peer) + ": " + bytes.length + " bytes"
                + (accepted.isEmpty() ? "" : ", options " + accepted));
        if (accepted.isEmpty()) {
            sendBlock(1);
        } else {
            block = 0;
            transmit(new TftpOptionAck(accepted));
        }
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket dgram) {
        if (done) {
            return;
        }
        if (!dgram.sender().equals(peer)) {
            // RFC 1350: a packet from another transfer ID is answered with error 5; this transfer goes on.
            TftpServer.send(channel, TftpError.of(TftpErrorCode.UNKNOWN_TRANSFER_ID), dgram.sender());
            return;
        }
        TftpPacket packet;
        try {
            packet = TftpPacketCodec.decode(dgram.content());
        } catch (TftpPacketException e) {
            log.debug("TFTP {} {}: malformed datagram ignored: {}", name, TftpServer.address(peer), e.getMessage());
            return;
        }
        if (packet instanceof TftpAck ack) {
            if (ack.block() == (block & 0xffff)) {
                if (block == lastBlock) {
                    finish("sent " + bytes.length + " bytes in " + lastBlock + " blocks");
                } else {
                    sendBlock(block + 1);
                }
            }
            // An ACK of an older block is a duplicate: the timer, not the duplicate, decides a retransmission.
        } else if (packet instanceof TftpError error) {
            finish("aborted by the client: error " + error.code() + " " + error.message());
        } else {
            TftpServer.send(channel, new TftpError(TftpErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: expected an ACK"), peer);
            finish("aborted: the client sent " + packet.opcode());
        }
    }

    private void sendBlock(int n) {
        block = n;
        int from = (n - 1) * blockSize;
        int length = Math.max(0, Math.min(blockSize, bytes.length - from));
        transmit(TftpData.of(n & 0xffff, bytes, Math.min(from, bytes.length), length));
    }

    private void transmit(TftpPacket packet) {
        lastSent = packet;
        sends = 0;
        sendLast();
    }

    private void sendLast() {
        sends++;
        TftpServer.send(channel, lastSent, peer);
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (timer == null) {
            timer = channel.eventLoop().schedule(this::timeout, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void timeout() {
        timer = null;
        if (done) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer = channel.eventLoop().schedule(this::timeout, left, TimeUnit.NANOSECONDS);
            return;
        }
        if (sends > options.maxRetransmissions()) {
            TftpServer.send(channel, new TftpError(TftpErrorCode.NOT_DEFINED, "Timeout: no ACK for block " + block), peer);
            finish("abandoned: no ACK for block " + block + " after " + sends + " sends");
            return;
        }
        log.debug("TFTP {} {}: retransmitting block {}", name, TftpServer.address(peer), block);
        sendLast();
    }

    private void holdLimitReached() {
        if (done) {
            return;
        }
        TftpServer.send(channel, new TftpError(TftpErrorCode.NOT_DEFINED,
                "Transfer time limit of " + options.maxHold().toSeconds() + " s reached"), peer);
        finish("abandoned: still at block " + block + " after the transfer time limit of " + options.maxHold().toMillis() + " ms");
    }

    private void finish(String how) {
        done = true;
        cancelTimers();
        trace.accept(name + " to " + TftpServer.address(peer) + ": " + how);
        channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("TFTP {} {}: {}", name, TftpServer.address(peer), cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        done = true;
        cancelTimers();
        super.channelInactive(ctx);
    }

    private void cancelTimers() {
        if (timer != null) {
            timer.cancel(false);
        }
        if (holdLimit != null) {
            holdLimit.cancel(false);
        }
    }
}
