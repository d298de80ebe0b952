package org.phoneemu.sip.client;

import java.time.Duration;
import java.util.Objects;
import org.phoneemu.sip.codec.SipLimits;

/**
 * @param connectTimeout   TCP connect to one CallManager
 * @param handshakeTimeout TLS handshake
 * @param responseTimeout  the final answer to a REGISTER (provisional answers do not extend it)
 */
public record SipClientOptions(Duration connectTimeout, Duration handshakeTimeout, Duration responseTimeout, SipLimits limits) {
    public SipClientOptions {
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(handshakeTimeout);
        Objects.requireNonNull(responseTimeout);
        Objects.requireNonNull(limits);
    }

    /** 5 s each, the codec's default limits. */
    public static final SipClientOptions DEFAULTS = new SipClientOptions(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), SipLimits.defaults());
}
