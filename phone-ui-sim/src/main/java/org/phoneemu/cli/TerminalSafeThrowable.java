package org.phoneemu.cli;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.phoneemu.core.text.TerminalText;

/**
 * The {@code %safeEx} of the console pattern: a stack trace (shown only with PHONE_EMU_LOG_LEVEL=DEBUG or for a bug)
 * whose lines are kept and whose control characters, which an exception message can carry from a peer, are escaped.
 */
public final class TerminalSafeThrowable extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return TerminalText.lines(super.convert(event));
    }
}
