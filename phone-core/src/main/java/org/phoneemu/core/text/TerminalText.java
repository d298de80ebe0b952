package org.phoneemu.core.text;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Text on its way to a terminal, with every character that could act on the terminal written as an escape: C0 and
 * C1 control characters (ESC sequences clear the screen, move the cursor, paint a forged line green; a carriage
 * return overwrites a line), DEL, and the Unicode bidirectional overrides that reorder what is shown. Values from
 * files and servers (names in a served ITL, a CN, a file name) reach the user through it. The one place for this rule.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** {@code text} as one line: a line break in it is written {@code \n} too, so a one-line message stays one line. */
    public static String line(String text) {
        return escape(text, false);
    }

    /** {@code text} with its line breaks kept and everything else that acts on a terminal escaped. */
    public static String lines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepNewlines) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String e = escaped(c, keepNewlines);
            if (e != null && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (e != null) {
                    b.append(e);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }

    /** The escape for {@code c}, or null when it is shown as it is. */
    private static String escaped(char c, boolean keepNewlines) {
        if (c == '\n') {
            return keepNewlines ? null : "\\n";
        }
        if (c == '\t') {
            return null;
        }
        if (c == '\r') {
            return "\\r";
        }
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
            return String.format("\\x%02X", (int) c);
        }
        if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C) {
            return String.format("\\u%04X", (int) c);
        }
        return null;
    }

    /** A writer that escapes, as {@link #lines}, everything written through it. */
    public static Writer escaping(Writer out) {
        return new FilterWriter(out) {
            @Override
            public void write(int c) throws IOException {
                String e = escaped((char) c, true);
                if (e == null) {
                    out.write(c);
                } else {
                    out.write(e);
                }
            }

            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                out.write(escape(new String(buf, off, len), true));
            }

            @Override
            public void write(String str, int off, int len) throws IOException {
                out.write(escape(str.substring(off, off + len), true));
            }
        };
    }
}
