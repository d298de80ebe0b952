package org.phoneemu.tftp.packet;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Field rules shared by the packet constructors and the decoder, so a packet that exists can be encoded. */
final class PacketFields {
    private PacketFields() {
    }

    static String requireFilename(String filename) {
        Objects.requireNonNull(filename, "filename");
        if (filename.isEmpty()) {
            throw new IllegalArgumentException("empty filename");
        }
        if (filename.indexOf('\0') >= 0 || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(filename)) {
            throw new IllegalArgumentException("filename must be 8-bit text without NUL: " + filename);
        }
        return filename;
    }

    static String requireMode(String mode) {
        Objects.requireNonNull(mode, "mode");
        if (!isPrintableAscii(mode)) {
            throw new IllegalArgumentException("mode must be printable ASCII: '" + mode + "'");
        }
        return mode.toLowerCase(Locale.ROOT);
    }

    static int requireBlock(int block) {
        if (block < 0 || block > 0xFFFF) {
            throw new IllegalArgumentException("block number out of range: " + block);
        }
        return block;
    }

    /** A validated, unmodifiable, order-keeping copy with lower-case names. */
    static Map<String, String> copyOptions(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String problem = optionProblem(e.getKey(), e.getValue());
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (copy.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()) != null) {
                throw new IllegalArgumentException("duplicate option " + e.getKey());
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Why this option is not acceptable, or {@code null}. */
    static String optionProblem(String name, String value) {
        if (name == null || !isPrintableAscii(name)) {
            return "option name must be printable ASCII: '" + name + "'";
        }
        if (value == null || value.indexOf('\0') >= 0 || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
            return "option " + name + " has no valid value";
        }
        TftpOption known = TftpOption.byName(name);
        return known == null ? null : known.problem(value);
    }

    static boolean isPrintableAscii(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
