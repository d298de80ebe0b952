package org.phoneemu.tftp.packet;

import java.util.Map;

/** RRQ (opcode 1). */
public record TftpReadRequest(String filename, String mode, Map<String, String> options) implements TftpRequest {
    public TftpReadRequest {
        filename = PacketFields.requireFilename(filename);
        mode = PacketFields.requireMode(mode);
        options = PacketFields.copyOptions(options);
    }

    /** An octet-mode RRQ without options. */
    public TftpReadRequest(String filename) {
        this(filename, MODE_OCTET, Map.of());
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.RRQ;
    }
}
