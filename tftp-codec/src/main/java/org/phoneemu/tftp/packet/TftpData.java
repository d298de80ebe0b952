package org.phoneemu.tftp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * DATA (opcode 3): block number (0-65535, wrapping after 65535) and 0-65464 payload bytes. The payload is
 * copied in and never handed out mutable, so the packet is immutable.
 */
public final class TftpData implements TftpPacket {
    /** The largest payload any block size allows (RFC 2348). */
    public static final int MAX_PAYLOAD = 65_464;

    private final int block;
    private final byte[] payload;

    private TftpData(int block, byte[] payload) {
        this.block = PacketFields.requireBlock(block);
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        this.payload = payload;
    }

    public static TftpData of(int block, byte[] payload) {
        return new TftpData(block, payload.clone());
    }

    /** Block {@code block} carrying {@code length} bytes of {@code source} from {@code offset}. */
    public static TftpData of(int block, byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        return new TftpData(block, Arrays.copyOfRange(source, offset, offset + length));
    }

    /** For the decoder, which already made a private copy. */
    static TftpData wrap(int block, byte[] ownedPayload) {
        return new TftpData(block, ownedPayload);
    }

    public int block() {
        return block;
    }

    /** Number of payload bytes. */
    public int length() {
        return payload.length;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    /** A read-only view of the payload, without copying. */
    public ByteBuffer payloadView() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.DATA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TftpData d && d.block == block && Arrays.equals(d.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * block + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "TftpData[block=" + block + ", length=" + payload.length + "]";
    }
}
