package org.phoneemu.core.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line of a phone's console log, printed as the real phone prints it:
 * {@code 837: NOT 09:13:17.561856 SECD: tlRequestFile: Request CTLSEP0011215A1AE3.tlv}.
 */
public record ConsoleLine(long sequence, Instant time, Severity severity, String text) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    public String format(ZoneId zone) {
        return sequence + ": " + severity + " " + TIME.format(time.atZone(zone)) + " " + text;
    }
}
