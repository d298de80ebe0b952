package org.phoneemu.cucm.tftp;

import java.io.ByteArrayOutputStream;

/** RFC 764 NVT ASCII as TFTP's netascii mode sends it: LF becomes CR LF, a bare CR becomes CR NUL. */
final class Netascii {
    private Netascii() {
    }

    static byte[] encode(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 16);
        for (byte b : in) {
            if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else if (b == '\r') {
                out.write('\r');
                out.write(0);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
