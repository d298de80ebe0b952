package org.phoneemu.sip.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A message's header fields in order, as written (names keep their case). Lookups ignore case and know the compact
 * forms of RFC 3261 §7.3.3 ({@code v} is Via, {@code l} Content-Length, ...). Values hold no CR or LF: a folded line is
 * unfolded by the decoder, and a value that would break the framing is refused here.
 */
public final class SipHeaders {
    /** One header field. */
    public record Field(String name, String value) {
        public Field {
            if (name == null || name.isEmpty() || !SipHeaders.isToken(name)) {
                throw new IllegalArgumentException("not a header name: " + name);
            }
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + ": a value may not hold CR or LF");
            }
        }
    }

    private static final Map<String, String> COMPACT = Map.of("v", "via", "f", "from", "t", "to", "i", "call-id",
            "m", "contact", "l", "content-length", "c", "content-type", "k", "supported", "e", "content-encoding", "s", "subject");

    private final List<Field> fields;

    public SipHeaders(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Field> fields() {
        return fields;
    }

    /** The first value of {@code name} (long or compact form, any case). */
    public Optional<String> first(String name) {
        String want = canonical(name);
        for (Field f : fields) {
            if (canonical(f.name()).equals(want)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        String want = canonical(name);
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (canonical(f.name()).equals(want)) {
                out.add(f.value());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** These headers without any field named {@code name}. */
    public SipHeaders without(String name) {
        String want = canonical(name);
        return new SipHeaders(fields.stream().filter(f -> !canonical(f.name()).equals(want)).toList());
    }

    static String canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return COMPACT.getOrDefault(n, n);
    }

    /** RFC 3261 token characters. */
    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-.!%*_+`'~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SipHeaders h && h.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }

    /** Fields in the order added. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        public Builder add(String name, String value) {
            fields.add(new Field(name, value));
            return this;
        }

        public SipHeaders build() {
            return new SipHeaders(fields);
        }
    }
}
