package org.phoneemu.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.phoneemu.core.text.TerminalText;

/**
 * The {@code %safeMsg} of the console pattern: a log message with its control characters escaped. Log lines carry
 * values from files and servers (a served file name, a peer's certificate name) to the terminal, where an ESC
 * sequence would act on the screen and a line break would forge a second log line.
 */
public final class TerminalSafeMessage extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return TerminalText.line(super.convert(event));
    }
}
