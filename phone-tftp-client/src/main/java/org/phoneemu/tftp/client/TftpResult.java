package org.phoneemu.tftp.client;

import java.util.Arrays;

/** How a download ended. Local failures (no socket could be bound) complete the future exceptionally instead. */
public sealed interface TftpResult {

    /** The whole file; {@code data} is the caller's to keep. */
    record Received(byte[] data) implements TftpResult {
        @Override
        public boolean equals(Object o) {
            return o instanceof Received r && Arrays.equals(r.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Received[" + data.length + " bytes]";
        }
    }

    /** ERROR 1 from the server. */
    record FileNotFound() implements TftpResult {
    }

    /** ERROR 2 from the server. */
    record AccessViolation() implements TftpResult {
    }

    /** The file is larger than {@code limit} bytes (announced by tsize, or counted while receiving). */
    record TooLarge(long limit) implements TftpResult {
    }

    /** No answer after {@code attempts} sends of the same packet. */
    record TimedOut(int attempts) implements TftpResult {
    }

    /**
     * The server answered, but the whole file did not arrive within the download's deadline (a server that trickles
     * its blocks): {@code received} bytes had come.
     */
    record DeadlineExceeded(java.time.Duration deadline, long received) implements TftpResult {
    }

    /** Any other ERROR packet from the server. */
    record ServerError(int code, String message) implements TftpResult {
    }

    /** The server broke the protocol (malformed packet, wrong opcode, options it was not offered…). */
    record ProtocolError(String reason) implements TftpResult {
    }
}
