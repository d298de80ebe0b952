package org.phoneemu.tftp.packet;

import java.util.Map;

/** OACK (opcode 6, RFC 2347): the options the server accepted, names lower-case, in wire order. */
public record TftpOptionAck(Map<String, String> options) implements TftpPacket {
    public TftpOptionAck {
        options = PacketFields.copyOptions(options);
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.OACK;
    }
}
