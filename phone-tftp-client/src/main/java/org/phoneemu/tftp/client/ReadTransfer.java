package org.phoneemu.tftp.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RRQ transfer, the only handler of its own UDP channel (whose local port is the client TID). Every method
 * runs on the channel's event loop, so the state needs no locks.
 *
 * <p>Rules it enforces: the first reply from the server's address fixes the server TID, anything from another
 * address/port gets ERROR 5 and is otherwise ignored (RFC 1350 §4); only the expected block is taken, a
 * duplicate of the last block is acknowledged again and nothing else is sent for it (so a duplicate never
 * multiplies traffic); the retransmission timer runs only on progress or on its own expiry; block numbers wrap
 * 65535 → 0; after the last ACK the socket stays open one timeout to acknowledge a repeated last block.
 */
final class ReadTransfer extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ReadTransfer.class);
    /** A Java array cannot hold more; treated as the limit when the caller gives none. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 16;

    private final InetSocketAddress server;
    private final String filename;
    private final TftpOptions options;
    private final Map<String, String> offered;
    private final TftpReadRequest request;
    private final long limit;
    final CompletableFuture<TftpResult> result = new CompletableFuture<>();

    private Channel channel;
    /** The server's transfer ID, fixed by its first reply. */
    private InetSocketAddress peer;
    private int blockSize = TftpOption.DEFAULT_BLOCK_SIZE;
    private boolean oackTaken;
    /** Blocks taken so far (not wrapped); the next expected block number is (blocks + 1) mod 65536. */
    private long blocks;
    /** The file so far: {@code size} bytes of {@code data}. */
    private byte[] data = new byte[TftpOption.DEFAULT_BLOCK_SIZE];
    private int size;
    /** The packet the timer sends again, where to, and how many times it has been sent. */
    private TftpPacket lastSent;
    private InetSocketAddress lastSentTo;
    private int attempts;
    /** Pending timer task, if any; it may fire before {@link #deadline} and then re-arms itself (cheaper than cancelling per block). */
    private ScheduledFuture<?> timer;
    /** {@link System#nanoTime()} at which the last packet counts as unanswered. */
    private long deadline;
    /** Ends the download at {@link TftpOptions#deadline()}, whatever the server does. */
    private ScheduledFuture<?> downloadDeadline;
    private boolean finished;
    /** The transfer ended with the whole file (else, once {@link #finished}, it was given up or refused). */
    private boolean received;

    ReadTransfer(InetSocketAddress server, String filename, TftpOptions options) {
        this.server = server;
        this.filename = filename;
        this.options = options;
        this.offered = options.requestOptions();
        // Built here so a bad filename throws to the caller instead of on the event loop.
        this.request = new TftpReadRequest(filename, TftpReadRequest.MODE_OCTET, offered);
        this.limit = Math.min(options.maxSize(), ARRAY_LIMIT);
    }

    /** Called once the channel is bound: sends the RRQ. */
    void start(Channel ch) {
        this.channel = ch;
        downloadDeadline = ch.eventLoop().schedule(this::onDeadline, options.deadline().toNanos(), TimeUnit.NANOSECONDS);
        LOG.debug("{} RRQ {} from {} options {}", ch.localAddress(), filename, server, offered);
        sendTracked(request, server);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DatagramPacket dp) {
                onDatagram(dp.sender(), dp.content());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP send errors (e.g. ICMP unreachable surfacing as an exception) count as a lost packet: the timer decides.
        LOG.debug("{} {}: socket error {}", channel.localAddress(), filename, cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            finished = true;
            cancelTimer();
            result.completeExceptionally(new IOException("TFTP channel closed before the transfer of " + filename + " ended"));
        }
    }

    private void onDatagram(InetSocketAddress sender, ByteBuf content) {
        boolean fromPeer = peer == null ? sender.getAddress().equals(server.getAddress()) : sender.equals(peer);
        if (!fromPeer) {
            LOG.debug("{} {}: packet from unknown TID {}, answering ERROR 5", channel.localAddress(), filename, sender);
            send(TftpError.of(TftpErrorCode.UNKNOWN_TRANSFER_ID), sender);
            return;
        }
        if (finished) {
            if (received) {
                // Dallying after the last ACK: the server did not get it and repeats the last block.
                if (lastSent instanceof TftpAck ack && isData(content, ack.block())) {
                    send(lastSent, peer);
                }
            } else if (!isError(content)) {
                // Held after giving up (see finish): a late answer to the request is told to stop, never taken.
                LOG.debug("{} {}: late packet from {} after the transfer was given up, answering ERROR", channel.localAddress(), filename, sender);
                send(new TftpError(TftpErrorCode.NOT_DEFINED, "Transfer cancelled"), sender);
            }
            return;
        }
        TftpPacket packet;
        try {
            packet = TftpPacketCodec.decode(content);
        } catch (TftpPacketException e) {
            fail(sender, TftpErrorCode.ILLEGAL_OPERATION, "malformed packet: " + e.getMessage());
            return;
        }
        if (peer == null && packet instanceof TftpData d && d.block() != 1) {
            // Not an answer to this request (its first DATA is block 1): a transfer to whoever had this port before, still
            // running on the server. Taking its port as the server's TID would take another file, or miss ours.
            LOG.debug("{} {}: DATA {} from {} before any answer, not ours: ERROR 5", channel.localAddress(), filename, d.block(), sender);
            send(TftpError.of(TftpErrorCode.UNKNOWN_TRANSFER_ID), sender);
            return;
        }
        if (peer == null) {
            peer = sender;
            LOG.debug("{} {}: server TID is {}", channel.localAddress(), filename, peer);
        }
        if (packet instanceof TftpData d) {
            onData(d);
        } else if (packet instanceof TftpOptionAck oack) {
            onOptionAck(oack);
        } else if (packet instanceof TftpError e) {
            LOG.debug("{} {}: ERROR {} '{}' from {}", channel.localAddress(), filename, e.code(), e.message(), peer);
            finish(mapError(e));
        } else {
            fail(peer, TftpErrorCode.ILLEGAL_OPERATION, "unexpected " + packet.opcode() + " from the server");
        }
    }

    private void onData(TftpData d) {
        int expected = (int) ((blocks + 1) & 0xFFFF);
        if (d.block() != expected) {
            if (blocks > 0 && d.block() == (int) (blocks & 0xFFFF)) {
                // Our ACK was lost: acknowledge once more, but do not restart the timer or send anything else.
                LOG.debug("{} {}: duplicate DATA {}, ACK again", channel.localAddress(), filename, d.block());
                send(lastSent, peer);
            } else {
                LOG.debug("{} {}: ignoring DATA {} (expected {})", channel.localAddress(), filename, d.block(), expected);
            }
            return;
        }
        if (d.length() > blockSize) {
            fail(peer, TftpErrorCode.ILLEGAL_OPERATION,
                    "DATA " + d.block() + " carries " + d.length() + " bytes, block size is " + blockSize);
            return;
        }
        if ((long) size + d.length() > limit) {
            LOG.debug("{} {}: over the size limit of {}", channel.localAddress(), filename, limit);
            refuseTooLarge();
            return;
        }
        append(d);
        blocks++;
        sendTracked(new TftpAck(d.block()), peer);
        if (d.length() < blockSize) {
            LOG.debug("{} {}: finished, {} bytes in {} blocks", channel.localAddress(), filename, size, blocks);
            byte[] bytes = size == data.length ? data : Arrays.copyOf(data, size);
            data = null;
            finish(new TftpResult.Received(bytes));
        }
    }

    private void onOptionAck(TftpOptionAck oack) {
        if (blocks > 0) {
            return; // a late copy; the transfer has moved on
        }
        if (oackTaken) {
            send(lastSent, peer); // our ACK 0 was lost: acknowledge once more
            return;
        }
        String problem = checkOptionAck(oack.options());
        if (problem != null) {
            fail(peer, TftpErrorCode.OPTION_NEGOTIATION_FAILED, problem);
            return;
        }
        var tsize = TftpOption.TSIZE.valueIn(oack.options());
        if (tsize.isPresent() && tsize.getAsLong() > limit) {
            LOG.debug("{} {}: tsize {} over the size limit of {}", channel.localAddress(), filename, tsize.getAsLong(), limit);
            refuseTooLarge();
            return;
        }
        if (tsize.isPresent()) {
            data = new byte[(int) Math.min(tsize.getAsLong(), 1 << 20)];
        }
        blockSize = TftpOption.BLKSIZE.intValueIn(oack.options()).orElse(TftpOption.DEFAULT_BLOCK_SIZE);
        oackTaken = true;
        LOG.debug("{} {}: OACK {}", channel.localAddress(), filename, oack.options());
        sendTracked(new TftpAck(0), peer);
    }

    /** ERROR 3 ("allocation exceeded" is the RFC 1350 code that says it) and the end of the transfer. */
    private void refuseTooLarge() {
        send(new TftpError(TftpErrorCode.DISK_FULL, "File too large, limit " + limit + " bytes"), peer);
        finish(new TftpResult.TooLarge(limit));
    }

    /** Why the OACK cannot be accepted (RFC 2347: only offered options; RFC 2348/2349 value rules), or null. */
    private String checkOptionAck(Map<String, String> acked) {
        if (offered.isEmpty()) {
            return "OACK although no option was requested";
        }
        for (Map.Entry<String, String> e : acked.entrySet()) {
            String asked = offered.get(e.getKey());
            if (asked == null) {
                return "OACK contains option '" + e.getKey() + "' that was not requested";
            }
            TftpOption o = TftpOption.byName(e.getKey());
            long value = Long.parseLong(e.getValue());
            if (o == TftpOption.BLKSIZE && value > Long.parseLong(asked)) {
                return "OACK blksize " + value + " is larger than the requested " + asked;
            }
            if (o == TftpOption.TIMEOUT && value != Long.parseLong(asked)) {
                return "OACK timeout " + value + " differs from the requested " + asked;
            }
        }
        return null;
    }

    private void append(TftpData d) {
        if (data.length - size < d.length()) {
            long wanted = Math.max((long) data.length * 2, (long) size + d.length());
            data = Arrays.copyOf(data, (int) Math.min(wanted, ARRAY_LIMIT));
        }
        d.payloadView().get(data, size, d.length());
        size += d.length();
    }

    private static TftpResult mapError(TftpError e) {
        return switch (e.errorCode().orElse(TftpErrorCode.NOT_DEFINED)) {
            case FILE_NOT_FOUND -> new TftpResult.FileNotFound();
            case ACCESS_VIOLATION -> new TftpResult.AccessViolation();
            default -> new TftpResult.ServerError(e.code(), e.message());
        };
    }

    private void onTimeout() {
        timer = null;
        if (finished) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer = channel.eventLoop().schedule(this::onTimeout, left, TimeUnit.NANOSECONDS);
            return;
        }
        if (attempts > options.retries()) {
            LOG.debug("{} {}: no answer after {} attempts", channel.localAddress(), filename, attempts);
            if (peer != null) {
                send(new TftpError(TftpErrorCode.NOT_DEFINED, "Transfer timed out"), peer);
            }
            finish(new TftpResult.TimedOut(attempts));
            return;
        }
        LOG.debug("{} {}: timeout, sending {} again (attempt {})", channel.localAddress(), filename, lastSent, attempts + 1);
        attempts++;
        send(lastSent, lastSentTo);
        armTimer();
    }

    /** A server that answers, but too slowly to deliver the file in time (one block just before each timeout). */
    private void onDeadline() {
        downloadDeadline = null;
        if (finished) {
            return;
        }
        LOG.debug("{} {}: not received within {} ms ({} bytes so far)", channel.localAddress(), filename,
                options.deadline().toMillis(), size);
        if (peer != null) {
            send(new TftpError(TftpErrorCode.NOT_DEFINED, "Transfer deadline exceeded"), peer);
        }
        finish(new TftpResult.DeadlineExceeded(options.deadline(), size));
    }

    /** Sends {@code packet} as the one the timer repeats, and restarts the timer. */
    private void sendTracked(TftpPacket packet, InetSocketAddress to) {
        lastSent = packet;
        lastSentTo = to;
        attempts = 1;
        send(packet, to);
        armTimer();
    }

    private void send(TftpPacket packet, InetSocketAddress to) {
        channel.writeAndFlush(new DatagramPacket(TftpPacketCodec.encode(packet, channel.alloc()), to), channel.voidPromise());
    }

    private void armTimer() {
        long timeout = options.timeout().toNanos();
        deadline = System.nanoTime() + timeout;
        if (timer == null) {
            timer = channel.eventLoop().schedule(this::onTimeout, timeout, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (downloadDeadline != null) {
            downloadDeadline.cancel(false);
            downloadDeadline = null;
        }
    }

    /** Tells the server why we stop (when it is known) and ends with a protocol error. */
    private void fail(InetSocketAddress to, TftpErrorCode code, String reason) {
        LOG.debug("{} {}: protocol error: {}", channel.localAddress(), filename, reason);
        send(new TftpError(code, reason), to);
        finish(new TftpResult.ProtocolError(reason));
    }

    private void finish(TftpResult r) {
        finished = true;
        cancelTimer();
        received = r instanceof TftpResult.Received;
        if (received) {
            // Stay a while to ACK the last block again if the server repeats it (RFC 1350 §6 "dallying"): at least our
            // timeout, or the server's when we offered one. The caller need not wait for that.
            long dally = Math.max(options.timeout().toNanos(), TimeUnit.SECONDS.toNanos(options.timeoutOption()));
            channel.eventLoop().schedule(() -> { channel.close(); }, dally, TimeUnit.NANOSECONDS);
        } else if (r instanceof TftpResult.TimedOut || r instanceof TftpResult.DeadlineExceeded) {
            // The server may still answer (a late start under load) and go on retransmitting. Were the port closed now,
            // the kernel could give it to the next transfer, which would take that answer, another file, as its own
            // first reply (a fleet of thousands of transfers reuses ports within seconds). Hold it as long as we waited.
            long hold = options.timeout().toNanos() * (options.retries() + 1L);
            channel.eventLoop().schedule(() -> { channel.close(); }, hold, TimeUnit.NANOSECONDS);
        } else {
            channel.close();
        }
        result.complete(r);
    }

    private static boolean isError(ByteBuf b) {
        return b.readableBytes() >= 2 && b.getUnsignedShort(b.readerIndex()) == 5;
    }

    private static boolean isData(ByteBuf b, int block) {
        return b.readableBytes() >= 4 && b.getUnsignedShort(b.readerIndex()) == 3
                && b.getUnsignedShort(b.readerIndex() + 2) == block;
    }
}
