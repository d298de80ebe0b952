package org.phoneemu.tftp.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.phoneemu.tftp.packet.TftpOption;

/**
 * How one download behaves. Immutable; start from {@link #defaults()} and use the {@code with…} methods.
 *
 * @param timeout       how long the client waits for the next packet before sending its last packet again
 * @param retries       how many times the last packet is sent again before the download ends {@code TimedOut}
 * @param blockSize     RFC 2348 {@code blksize} to offer (8-65464), or 0 to not offer it (512-byte blocks)
 * @param transferSize  whether to offer RFC 2349 {@code tsize} (the server then announces the size, and a file
 *                      over {@code maxSize} is refused before any data block)
 * @param timeoutOption RFC 2349 {@code timeout} in seconds (1-255) to offer for the <em>server's</em>
 *                      retransmissions, or 0 to not offer it; the client keeps using {@code timeout}
 * @param maxSize       the largest file accepted, in bytes; a larger one ends {@code TooLarge}
 * @param deadline      the longest one download may take, from the request to the last block, whatever the
 *                      server does; then it ends {@code DeadlineExceeded} (docs/LIMITS.md)
 */
public record TftpOptions(Duration timeout, int retries, int blockSize, boolean transferSize, int timeoutOption,
                          long maxSize, Duration deadline) {
    /**
     * The default deadline of one file: a trust list or a config (at most 550,001 bytes) takes well under a second on
     * a LAN, and a few seconds through retransmissions; 30 s bounds a server that trickles its blocks.
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    /** The limit a phone applies to configuration files (the real phone logs {@code max size = 550001}). */
    public static final long PHONE_CONFIG_MAX_SIZE = 550_001;
    /** No size limit (beyond what fits in a Java array). */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final TftpOptions DEFAULTS = new TftpOptions(Duration.ofSeconds(1), 5, 0, false, 0, UNLIMITED, DEFAULT_DEADLINE);

    public TftpOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0: " + retries);
        }
        if (blockSize != 0 && (blockSize < TftpOption.BLKSIZE.min() || blockSize > TftpOption.BLKSIZE.max())) {
            throw new IllegalArgumentException("blockSize must be 0 or 8-65464: " + blockSize);
        }
        if (timeoutOption != 0 && (timeoutOption < TftpOption.TIMEOUT.min() || timeoutOption > TftpOption.TIMEOUT.max())) {
            throw new IllegalArgumentException("timeoutOption must be 0 or 1-255: " + timeoutOption);
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be >= 0: " + maxSize);
        }
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
    }

    /** Plain RFC 1350: no options offered, 1 s timeout, 5 retries, no size limit, 30 s per download. */
    public static TftpOptions defaults() {
        return DEFAULTS;
    }

    public TftpOptions withTimeout(Duration timeout) {
        return new TftpOptions(timeout, retries, blockSize, transferSize, timeoutOption, maxSize, deadline);
    }

    public TftpOptions withRetries(int retries) {
        return new TftpOptions(timeout, retries, blockSize, transferSize, timeoutOption, maxSize, deadline);
    }

    public TftpOptions withBlockSize(int blockSize) {
        return new TftpOptions(timeout, retries, blockSize, transferSize, timeoutOption, maxSize, deadline);
    }

    public TftpOptions withTransferSize(boolean transferSize) {
        return new TftpOptions(timeout, retries, blockSize, transferSize, timeoutOption, maxSize, deadline);
    }

    public TftpOptions withTimeoutOption(int seconds) {
        return new TftpOptions(timeout, retries, blockSize, transferSize, seconds, maxSize, deadline);
    }

    public TftpOptions withDeadline(Duration deadline) {
        return new TftpOptions(timeout, retries, blockSize, transferSize, timeoutOption, maxSize, deadline);
    }

    public TftpOptions withMaxSize(long maxSize) {
        return new TftpOptions(timeout, retries, blockSize, transferSize, timeoutOption, maxSize, deadline);
    }

    /** The same settings without any RFC 2347 option (for a server that refuses negotiation). */
    public TftpOptions withoutNegotiation() {
        return new TftpOptions(timeout, retries, 0, false, 0, maxSize, deadline);
    }

    /** The RFC 2347 options this configuration puts in the RRQ (empty for plain RFC 1350). */
    public Map<String, String> requestOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        if (blockSize != 0) {
            o.put(TftpOption.BLKSIZE.wireName(), Integer.toString(blockSize));
        }
        if (transferSize) {
            o.put(TftpOption.TSIZE.wireName(), "0");
        }
        if (timeoutOption != 0) {
            o.put(TftpOption.TIMEOUT.wireName(), Integer.toString(timeoutOption));
        }
        return o;
    }
}
