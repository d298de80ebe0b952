package org.phoneemu.cli;

import java.time.Duration;

/** Durations as users type them: {@code 301}, {@code 301s}, {@code 5m}, {@code 24h}, {@code 2d}. */
final class Durations {
    private Durations() {
    }

    static Duration parse(String text, String option) {
        String t = text.trim().toLowerCase();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            String num = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1);
            long n = Long.parseLong(num);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException();
                    }
                    yield Duration.ofSeconds(n);
                }
            };
        } catch (NumberFormatException | IndexOutOfBoundsException e) { // an empty value, too
            throw new UserError(PhoneEmu.BAD_INPUT, option + " takes a duration like 301s, 5m or 24h, not '" + text + "'");
        }
    }
}
