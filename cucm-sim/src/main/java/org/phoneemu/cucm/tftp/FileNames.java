package org.phoneemu.cucm.tftp;

/** The TFTP service's rules for the file names clients ask for, the same over TFTP (69) and HTTP(S) (6970/6971). */
final class FileNames {
    private FileNames() {
    }

    /** Names a phone may ask for: no paths, nothing that climbs out of the TFTP directory. */
    static boolean safe(String name) {
        return !name.contains("/") && !name.contains("\\") && !name.contains("..") && !name.isBlank();
    }

    /**
     * {@code name} as the trace writes it: control characters (a CR/LF would forge a trace line) and the backslash as
     * {@code \xNN}, so what the client sent can still be read off the line.
     */
    static String forTrace(String name) {
        StringBuilder b = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean escape = c < 0x20 || c == 0x7f || c == '\\' || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR || c == 0x85;
            if (escape && b == null) {
                b = new StringBuilder(name.length() + 8).append(name, 0, i);
            }
            if (b != null) {
                if (escape) {
                    b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? name : b.toString();
    }
}
