package org.phoneemu.sip.codec;

/**
 * What one message may make a decoder hold.
 *
 * @param maxHeaderBytes start line and header fields, up to the blank line
 * @param maxHeaders     header fields (after unfolding)
 * @param maxBodyBytes   the body (Content-Length)
 */
public record SipLimits(int maxHeaderBytes, int maxHeaders, int maxBodyBytes) {
    public SipLimits {
        if (maxHeaderBytes < 64 || maxHeaders < 1 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("SIP limits too small: " + maxHeaderBytes + "/" + maxHeaders + "/" + maxBodyBytes);
        }
    }

    /** 8 KB of header (a REGISTER is about 1 KB), 64 fields, 16 KB of body (a REGISTER has none; an SDP fits). */
    public static SipLimits defaults() {
        return new SipLimits(8192, 64, 16384);
    }
}
