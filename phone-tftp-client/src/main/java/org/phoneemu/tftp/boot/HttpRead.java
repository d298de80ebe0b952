package org.phoneemu.tftp.boot;

import org.phoneemu.tftp.client.TftpResult;

/** One read over HTTP (6970) or HTTPS (6971), as {@link ProvisioningSession} sees it. */
public sealed interface HttpRead {
    /**
     * The server answered: 200 is {@link TftpResult.Received}, 404 {@link TftpResult.FileNotFound}, 403
     * {@link TftpResult.AccessViolation}, a body over the limit {@link TftpResult.TooLarge}: the same values as TFTP,
     * so the phone judges a file the same whatever it came over.
     */
    record Answered(TftpResult result) implements HttpRead {
    }

    /** No usable answer (connection refused, deadline, TLS, a refused certificate, another status): TFTP is next. */
    record Failed(String why) implements HttpRead {
        /** Nothing listens at the address (the client's words, and predict's for a node without HTTP provisioning). */
        public static final Failed REFUSED = new Failed("connection refused");
    }
}
