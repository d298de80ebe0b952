package org.phoneemu.tftp.packet;

import java.util.Map;

/** RRQ or WRQ: a filename, a transfer mode and RFC 2347 options (names lower-case, in wire order). */
public sealed interface TftpRequest extends TftpPacket permits TftpReadRequest, TftpWriteRequest {
    /** The transfer mode for binary files. */
    String MODE_OCTET = "octet";
    /** The transfer mode for text files (RFC 764 NVT ASCII). */
    String MODE_NETASCII = "netascii";

    String filename();

    /** Lower-case; {@code "octet"} or {@code "netascii"} for conforming peers, any printable ASCII word is kept. */
    String mode();

    /** Option name (lower-case) to value, in the order they appeared; unmodifiable. */
    Map<String, String> options();
}
