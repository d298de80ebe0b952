package org.phoneemu.tftp.packet;

/** ACK (opcode 4) of block {@code block} (0-65535; 0 acknowledges an OACK). */
public record TftpAck(int block) implements TftpPacket {
    public TftpAck {
        PacketFields.requireBlock(block);
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.ACK;
    }
}
