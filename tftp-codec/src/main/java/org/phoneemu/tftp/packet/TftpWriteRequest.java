package org.phoneemu.tftp.packet;

import java.util.Map;

/** WRQ (opcode 2). */
public record TftpWriteRequest(String filename, String mode, Map<String, String> options) implements TftpRequest {
    public TftpWriteRequest {
        filename = PacketFields.requireFilename(filename);
        mode = PacketFields.requireMode(mode);
        options = PacketFields.copyOptions(options);
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.WRQ;
    }
}
