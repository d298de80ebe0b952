package org.phoneemu.tftp.packet;

/**
 * One TFTP packet. Decoded and encoded by {@link TftpPacketCodec}; every implementation is immutable.
 */
public sealed interface TftpPacket permits TftpRequest, TftpData, TftpAck, TftpError, TftpOptionAck {
    TftpOpcode opcode();
}
